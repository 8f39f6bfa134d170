import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { EventsModule } from '../events/events.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { CodesController } from './codes.controller.js';
import { CodesRepository } from './codes.repository.js';
import { CodesService } from './codes.service.js';

/** Discount and access codes of events; the table is the seat ledger's (it counts their uses). */
@Module({
  imports: [InventoryModule, EventsModule, DatabaseModule, IdempotencyModule],
  controllers: [CodesController],
  providers: [CodesService, CodesRepository],
  exports: [CodesService],
})
export class CodesModule {}
