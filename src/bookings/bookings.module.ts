import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseModule } from '../database/database.module.js';
import { EventsModule } from '../events/events.module.js';
import { Booking } from './booking.entity.js';
import { BookingsController } from './bookings.controller.js';
import { BookingsService } from './bookings.service.js';
import { Hold } from './hold.entity.js';
import { HoldsSweeper } from './holds-sweeper.js';
import { HoldsController } from './holds.controller.js';
import { HoldsService } from './holds.service.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';

@Module({
  imports: [TypeOrmModule.forFeature([Booking, Hold]), EventsModule, DatabaseModule, IdempotencyModule],
  controllers: [BookingsController, HoldsController],
  providers: [BookingsService, HoldsService, HoldsSweeper],
})
export class BookingsModule {}
