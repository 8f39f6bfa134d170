import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Environment } from '../config/environment.js';
import { DatabaseModule } from '../database/database.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { SeatChanges } from '../inventory/seat-changes.js';
import { PublicReadsHook } from './public-reads.hook.js';
import { EventReadCache } from './event-read-cache.js';
import { EventReads } from './event-reads.js';
import { Event } from './event.entity.js';
import { EventSearchTerm } from './event-search-term.entity.js';
import { EventVenueGram } from './event-venue-gram.entity.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { EventsService } from './events.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Event, EventSearchTerm, EventVenueGram]), DatabaseModule, InventoryModule, IdempotencyModule],
  controllers: [EventsController],
  providers: [
    EventsService,
    EventsRepository,
    EventReads,
    PublicReadsHook,
    {
      provide: EventReadCache,
      inject: [ConfigService, SeatChanges],
      useFactory: (config: ConfigService<Environment, true>, seatChanges: SeatChanges) => {
        const cache = new EventReadCache({ ttlMs: config.get('READ_CACHE_MS', { infer: true }) });
        seatChanges.onChange((eventId) => cache.invalidate(eventId));
        return cache;
      },
    },
  ],
  exports: [EventsService],
})
export class EventsModule {}
