import { Module } from '@nestjs/common';
import { CodesModule } from '../codes/codes.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { EventsModule } from '../events/events.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { BookingsController } from './bookings.controller.js';
import { BookingsRepository } from './bookings.repository.js';
import { BookingsService } from './bookings.service.js';
import { HoldsSweeper } from './holds-sweeper.js';
import { HoldsController } from './holds.controller.js';
import { HoldsRepository } from './holds.repository.js';
import { HoldsService } from './holds.service.js';

@Module({
  imports: [InventoryModule, EventsModule, CodesModule, DatabaseModule, IdempotencyModule],
  controllers: [BookingsController, HoldsController],
  providers: [BookingsService, BookingsRepository, HoldsService, HoldsRepository, HoldsSweeper],
})
export class BookingsModule {}
