import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseModule } from '../database/database.module.js';
import { Event } from './event.entity.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { TicketCategory } from './ticket-category.entity.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';

@Module({
  imports: [TypeOrmModule.forFeature([Event, TicketCategory]), DatabaseModule, IdempotencyModule],
  controllers: [EventsController],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
