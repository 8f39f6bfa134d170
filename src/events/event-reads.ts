import { Injectable } from '@nestjs/common';
import { nextPageLink } from '../http/next-page-link.js';
import { jsonRepresentation, type Representation } from '../http/representation.js';
import type { ListEventsQuery } from './dto/list-events.query.js';
import { EventReadCache } from './event-read-cache.js';
import { mapEvent } from './event.mapper.js';
import { EventsService } from './events.service.js';

/**
 * The public reads as they are answered: read from a replica when there are any (EventsService),
 * kept by the read cache when it is on, each as its JSON bytes with an ETag. `key` is the request's
 * URL as sent, so an answer held for it can be found before Nest runs (see EventsModule).
 */
@Injectable()
export class EventReads {
  constructor(
    private readonly events: EventsService,
    private readonly cache: EventReadCache,
  ) {}

  get cacheControl(): string {
    return this.cache.cacheControl;
  }

  event(key: string, id: number): Promise<Representation> {
    return this.cache.read(key, { event: id }, async () => ({
      representation: jsonRepresentation(mapEvent(await this.events.findPublic(id))),
      eventIds: [id],
    }));
  }

  page(key: string, query: ListEventsQuery): Promise<Representation> {
    return this.cache.read(key, 'page', async () => {
      const page = await this.events.findUpcoming(query);
      return {
        representation: jsonRepresentation(page.events.map(mapEvent), nextPageLink('/events', { limit: page.limit }, page.nextCursor)),
        eventIds: page.events.map((event) => event.id),
      };
    });
  }
}
