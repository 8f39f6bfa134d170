import { Injectable } from '@nestjs/common';
import { nextPageLink } from '../http/next-page-link.js';
import { jsonRepresentation, type Representation } from '../http/representation.js';
import type { SearchEventsQuery } from './dto/search-events.query.js';
import { EventReadCache } from './event-read-cache.js';
import { mapEvent } from './event.mapper.js';
import { EventsService, type EventPage } from './events.service.js';

/** What an organiser's own view may be kept for: by nobody, since it shows hidden categories. */
const VIEWER_CACHE_CONTROL = 'private, no-cache';

/**
 * The public reads as they are answered: read from a replica when there are any (EventsService),
 * kept by the read cache when it is on, each as its JSON bytes with an ETag. `key` is the request's
 * URL as sent, so an answer held for it can be found before Nest runs (see EventsModule). Only the
 * anonymous view of an event and the unfiltered pages are kept: an organiser's view shows its
 * hidden categories, and a search page can change with any event, in it or not.
 */
@Injectable()
export class EventReads {
  constructor(
    private readonly events: EventsService,
    private readonly cache: EventReadCache,
  ) {}

  cacheControl(viewer: number | undefined): string {
    return viewer === undefined ? this.cache.cacheControl : VIEWER_CACHE_CONTROL;
  }

  /** An organiser reads its events from the primary, so it sees its own changes at once. */
  event(key: string, id: number, viewer: number | undefined): Promise<Representation> {
    if (viewer !== undefined) return this.events.findOne(id).then((event) => jsonRepresentation(mapEvent(event, viewer)));
    return this.cache.read(key, { event: id }, async () => ({
      representation: jsonRepresentation(mapEvent(await this.events.findPublic(id), undefined)),
      eventIds: [id],
    }));
  }

  page(key: string, query: SearchEventsQuery, viewer: number | undefined): Promise<Representation> {
    if (viewer !== undefined || isSearch(query)) return this.events.findUpcoming(query).then((page) => pageRepresentation(page, query, viewer));
    return this.cache.read(key, 'page', async () => {
      const page = await this.events.findUpcoming(query);
      return { representation: pageRepresentation(page, query, undefined), eventIds: page.events.map((event) => event.id) };
    });
  }
}

function isSearch({ q, venue, from, to, available }: SearchEventsQuery): boolean {
  return [q, venue, from, to, available].some((filter) => filter !== undefined);
}

function pageRepresentation(page: EventPage, { q, venue, from, to, available }: SearchEventsQuery, viewer: number | undefined): Representation {
  const link = nextPageLink('/events', { limit: page.limit, q, venue, from, to, available }, page.nextCursor);
  return jsonRepresentation(
    page.events.map((event) => mapEvent(event, viewer)),
    link,
  );
}
