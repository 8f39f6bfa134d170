import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseModule } from '../database/database.module.js';
import { EventsModule } from '../events/events.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { CheckInService } from './check-in.service.js';
import { CheckInsController } from './check-ins.controller.js';
import { CheckInsRepository } from './check-ins.repository.js';
import { DoorStaffGuard } from './door-staff.guard.js';
import { ScannerKey } from './scanner-key.entity.js';
import { ScannerKeysController } from './scanner-keys.controller.js';
import { ScannerKeysService } from './scanner-keys.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ScannerKey]), InventoryModule, EventsModule, DatabaseModule, IdempotencyModule],
  controllers: [CheckInsController, ScannerKeysController],
  providers: [CheckInService, CheckInsRepository, ScannerKeysService, DoorStaffGuard],
})
export class CheckInModule {}
