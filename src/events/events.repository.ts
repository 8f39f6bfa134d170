import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, type QueryDeepPartialEntity } from 'typeorm';
import { cached } from '../common/cached.js';
import { BuiltQuery, type Queryable } from '../database/built-query.js';
import { readDate, readNullableDate, readNullableInteger, readNullableString } from '../database/column-values.js';
import { ReadReplicas } from '../database/read-replicas.js';
import { supportsRowLocks } from '../database/row-locks.js';
import { countOnlyUnexpiredHolds } from '../inventory/held-seats.js';
import { ticketCategoryFromRow, ticketFromRow } from '../inventory/ledger-statements.js';
import { TicketCategory } from '../inventory/ticket-category.entity.js';
import { Ticket } from '../inventory/ticket.entity.js';
import { RecentValues } from '../common/recent-values.js';
import { searchTerms, venueGrams, venueKey } from '../common/search-terms.js';
import { Event, EventStatus } from './event.entity.js';
import type { EventCursor } from './event-cursor.js';
import { EventSearchTerm } from './event-search-term.entity.js';
import { EventVenueGram } from './event-venue-gram.entity.js';

/** A category as the organiser describes it, before it has an id or counters. */
export type NewCategory = Pick<TicketCategory, 'name' | 'nameKey' | 'priceCents' | 'seatsLimit' | 'seatsSold' | 'maxPerBooking' | 'salesStart' | 'salesEnd' | 'hidden'>;

/** What a category has besides its counters and terms (which the seat ledger changes). */
export type CategorySettings = Pick<TicketCategory, 'salesStart' | 'salesEnd' | 'hidden'>;

export type EventFields = Pick<Event, 'name' | 'venue' | 'details' | 'date' | 'maxTicketsPerBooking' | 'timezone'>;

/** The filters of a search of upcoming events; `terms` as searchTerms() gives them, `venue` as venueKey(). */
export interface EventSearch {
  terms: string[];
  venue: string | undefined;
  from: Date | undefined;
  to: Date | undefined;
  available: boolean;
}

const TERMS_PER_INSERT = 500;

/** How far a word's (or a venue piece's) upcoming events are counted when choosing which one a search walks. */
const RARITY_SAMPLE = 2_000;

/**
 * How common a word or piece is changes slowly, and a count that is behind only makes a walk
 * longer, never its answer different: counts are reused for this long, so a search that is
 * repeated (as on-sale crowds repeat them) does not count again each time.
 */
const RARITY_MAX_AGE_MS = 10_000;
const RARITIES_KEPT = 10_000;

/** A long venue filter is found by the rarest of at most this many of its pieces, spread over it. */
const VENUE_GRAMS_COUNTED = 6;

/** An event, and its ticket of the code a scan sent if it has one. */
export interface EventWithTicket {
  event: Event;
  ticket: Ticket | null;
}

/**
 * The queries of events and their categories. Reads run on the primary's pool, except the public
 * ones (`findPublic`, `findUpcoming`, `search`), which run on a read replica when there are any; writes run
 * inside the caller's transaction.
 */
@Injectable()
export class EventsRepository {
  /**
   * Not `findOne` with relations: its implicit LIMIT 1 makes TypeORM run a DISTINCT id query
   * first, a second round trip. Every booking starts here, so the SQL is built once.
   */
  private readonly eventWithCategories = new BuiltQuery((dataSource) =>
    dataSource
      .getRepository(Event)
      .createQueryBuilder('event')
      .leftJoinAndSelect(TicketCategory, 'category', 'category.eventId = event.id')
      .where('event.id = :id'),
  );
  /** eventWithCategories, each row also with the event's ticket of one code (NULLs when it has none). */
  private readonly eventWithTicket = new BuiltQuery((dataSource) =>
    dataSource
      .getRepository(Event)
      .createQueryBuilder('event')
      .leftJoinAndSelect(TicketCategory, 'category', 'category.eventId = event.id')
      .leftJoinAndSelect(Ticket, 'ticket', 'ticket.eventId = event.id AND ticket.code = :code')
      .where('event.id = :id'),
  );
  private readonly categoriesOfEvents = new BuiltQuery((dataSource) =>
    dataSource.getRepository(TicketCategory).createQueryBuilder('category').where('category.eventId IN (:...eventIds)'),
  );
  private readonly pageQueries = new Map<string, BuiltQuery>();
  private readonly searchQueries = new Map<string, BuiltQuery>();
  private readonly upcomingWithTerm = upcomingCount(EventSearchTerm, 'term');
  private readonly upcomingWithGram = upcomingCount(EventVenueGram, 'gram');
  private readonly termRarity = new RecentValues(RARITY_MAX_AGE_MS, RARITIES_KEPT, (term: string) => this.countUpcoming(this.upcomingWithTerm, term));
  private readonly gramRarity = new RecentValues(RARITY_MAX_AGE_MS, RARITIES_KEPT, (gram: string) => this.countUpcoming(this.upcomingWithGram, gram));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly replicas: ReadReplicas,
  ) {}

  /**
   * The event with its categories, held seats counted as of now; past and cancelled events too.
   * On the primary: what a write decides by, and what its author reads back.
   */
  findOne(id: number): Promise<Event | undefined> {
    return this.eventOn(this.dataSource, id);
  }

  /** The same inside a transaction, which sees its own writes. */
  findOneIn(manager: EntityManager, id: number): Promise<Event | undefined> {
    return this.eventOn(manager, id);
  }

  /** findOne, and the event's ticket of that code (null when it has none), in one read: a scan at the door needs both. */
  async findOneWithTicket(id: number, code: string): Promise<EventWithTicket | undefined> {
    const rows = await this.eventWithTicket.rows(this.dataSource, { id, code });
    const event = await this.eventOf(this.dataSource, rows);
    if (!event) return undefined;
    return { event, ticket: rows[0].ticket_id === null || rows[0].ticket_id === undefined ? null : ticketFromRow(rows[0]) };
  }

  /** The same for the public page of the event: on a read replica when there are any, so possibly behind. */
  findPublic(id: number): Promise<Event | undefined> {
    return this.replicas.read((source) => this.eventOn(source, id));
  }

  /**
   * Upcoming scheduled events by (date, id), one more than `limit` to tell whether a next page
   * exists. Only ever public: on a read replica when there are any.
   */
  findUpcoming(limit: number, after: EventCursor | undefined): Promise<Event[]> {
    return this.replicas.read((source) => this.pageOn(source, limit, after));
  }

  /**
   * Upcoming scheduled events that pass every filter, by (date, id) after the cursor, one more
   * than `limit`. With words, the walk starts on the rarest word's index entries, in date order,
   * and checks the others per event; with a venue of three characters or more and no words, on
   * its rarest piece's; otherwise it walks the events' own (date, id) index. Either way the page
   * ends after `limit` + 1 matches, so a cursor keeps deep pages as cheap as the first, and exact
   * however events change in between. What it costs is how far it walks to find them: one word's
   * matches are contiguous, but words that are each common and rarely together are walked past.
   * Only ever public: on a read replica when there are any.
   */
  async search(search: EventSearch, limit: number, after: EventCursor | undefined): Promise<Event[]> {
    const now = new Date();
    const [driver, ...others] = await this.rarestFirst(search.terms, this.termRarity);
    const gram = driver === undefined && search.venue !== undefined ? (await this.rarestFirst(spread(venueGrams(search.venue), VENUE_GRAMS_COUNTED), this.gramRarity))[0] : undefined;
    const query = this.searchQuery(search.terms.length, search.venue !== undefined, gram !== undefined, search.to !== undefined, search.available);
    const [sql, values] = query.statement(this.dataSource, {
      scheduled: EventStatus.Scheduled,
      ...lowerBound(now, search.from, after),
      to: search.to,
      venue: search.venue === undefined ? undefined : `%${search.venue.replace(/[!%_]/g, '!$&')}%`,
      now,
      no: false,
      driver: driver ?? gram,
      ...Object.fromEntries(others.map((term, i) => [`term${i}`, term])),
    });
    return this.replicas.read(async (source) => {
      // LIMIT as a parameter, so that one statement serves every page size.
      const rows: Record<string, unknown>[] = await source.query(`${sql} LIMIT ?`, [...values, limit + 1]);
      const events = rows.map(eventFromRow);
      await this.attachCategories(source, events);
      return events;
    });
  }

  /** Inserts the event, its categories and its words; answers the event's id. */
  async insert(manager: EntityManager, fields: EventFields & Pick<Event, 'organizerId' | 'currency'>, categories: NewCategory[]): Promise<number> {
    const result = await manager.insert(Event, { ...fields, venueKey: venueKey(fields.venue), createdAt: new Date(), status: EventStatus.Scheduled, cancelledAt: null });
    const id = Number(result.identifiers[0].id);
    await this.insertCategories(manager, id, categories);
    await this.insertTerms(manager, id, fields);
    await this.insertVenueGrams(manager, id, fields);
    return id;
  }

  async insertCategories(manager: EntityManager, eventId: number, categories: NewCategory[]): Promise<void> {
    if (categories.length === 0) return;
    await manager.insert(
      TicketCategory,
      categories.map((category) => ({ ...category, eventId, seatsHeld: 0, salesClosed: false })),
    );
  }

  /**
   * Locks the event row for a change by its organiser, so two changes of one event run one after
   * the other; the row lock comes before any category's, the order every writer takes them in.
   */
  async lock(manager: EntityManager, id: number): Promise<Pick<Event, 'id' | 'status' | 'date'> | undefined> {
    const query = manager.createQueryBuilder(Event, 'event').select(['event.id', 'event.status', 'event.date']).where('event.id = :id', { id });
    const event = await (supportsRowLocks(manager) ? query.setLock('pessimistic_write') : query).getOne();
    return event ?? undefined;
  }

  /** The event's categories as they are inside the caller's transaction (under the event's lock, as they are now). */
  categoriesOf(manager: EntityManager, eventId: number): Promise<TicketCategory[]> {
    return manager.find(TicketCategory, { where: { eventId }, order: { id: 'ASC' } });
  }

  async update(manager: EntityManager, id: number, fields: Partial<EventFields>): Promise<void> {
    if (Object.keys(fields).length > 0) await manager.update(Event, { id }, fields.venue === undefined ? fields : { ...fields, venueKey: venueKey(fields.venue) });
    if (fields.name !== undefined || fields.venue !== undefined || fields.details !== undefined || fields.date !== undefined) await this.reindex(manager, id, fields.venue !== undefined || fields.date !== undefined);
  }

  async updateCategory(manager: EntityManager, id: number, settings: Partial<CategorySettings>): Promise<void> {
    if (Object.keys(settings).length > 0) await manager.update(TicketCategory, { id }, settings);
  }

  /** The words (or pieces), the one with the fewest upcoming events first (counted up to RARITY_SAMPLE each; a tie goes to the longer). */
  private async rarestFirst(terms: string[], rarity: RecentValues<string, number>): Promise<string[]> {
    if (terms.length < 2) return terms;
    const counts = await Promise.all(terms.map((term) => rarity.get(term)));
    return terms.map((term, i) => ({ term, count: counts[i] })).sort((a, b) => a.count - b.count || b.term.length - a.term.length).map(({ term }) => term);
  }

  /** Counted where the search then walks: on a read replica when there are any. */
  private countUpcoming(query: BuiltQuery, key: string): Promise<number> {
    return this.replicas.read(async (source) => Number((await query.rows(source, { key, now: new Date() }))[0]?.n ?? 0));
  }

  /** The event's words and date (and, if asked, its venue's pieces) as they now are, in the caller's transaction. */
  private async reindex(manager: EntityManager, id: number, venueToo: boolean): Promise<void> {
    const event = await manager.findOneOrFail(Event, { select: { id: true, name: true, venue: true, details: true, date: true }, where: { id } });
    await manager.delete(EventSearchTerm, { eventId: id });
    await this.insertTerms(manager, id, event);
    if (!venueToo) return;
    await manager.delete(EventVenueGram, { eventId: id });
    await this.insertVenueGrams(manager, id, event);
  }

  private insertTerms(manager: EntityManager, eventId: number, { name, venue, details, date }: Pick<Event, 'name' | 'venue' | 'details' | 'date'>): Promise<void> {
    return insertInBatches(manager, EventSearchTerm, searchTerms(name, venue, details).map((term) => ({ eventId, term, date })));
  }

  private insertVenueGrams(manager: EntityManager, eventId: number, { venue, date }: Pick<Event, 'venue' | 'date'>): Promise<void> {
    return insertInBatches(manager, EventVenueGram, venueGrams(venueKey(venue)).map((gram) => ({ eventId, gram, date })));
  }

  async markCancelled(manager: EntityManager, id: number, now: Date): Promise<void> {
    await manager.update(Event, { id }, { status: EventStatus.Cancelled, cancelledAt: now });
  }

  private async eventOn(source: Queryable, id: number): Promise<Event | undefined> {
    return this.eventOf(source, await this.eventWithCategories.rows(source, { id }));
  }

  /** The event of rows that select it with its categories, one row per category (one with NULLs if it has none). */
  private async eventOf(source: Queryable, rows: Record<string, unknown>[]): Promise<Event | undefined> {
    if (rows.length === 0) return undefined;
    const event = eventFromRow(rows[0]);
    event.ticketCategories = rows.filter((row) => row.category_id !== null && row.category_id !== undefined).map(ticketCategoryFromRow);
    await countOnlyUnexpiredHolds(source, event.ticketCategories);
    return event;
  }

  private async pageOn(source: Queryable, limit: number, after: EventCursor | undefined): Promise<Event[]> {
    const now = new Date();
    // The page starts after now or after the cursor, whichever is later: the other bound is then
    // implied, and the query keeps a single lower bound on the index (see pageQuery).
    const fromCursor = after !== undefined && after.date > now;
    const rows = await this.pageQuery(limit, fromCursor).rows(source, {
      scheduled: EventStatus.Scheduled,
      now,
      afterDate: after?.date,
      afterId: after?.id,
    });
    const events = rows.map(eventFromRow);
    await this.attachCategories(source, events);
    return events;
  }

  /**
   * One built query per page size, from now or from a cursor: LIMIT is written into the SQL.
   * Exactly one lower bound on idx_events_date_id (date, id), written as a range both databases
   * read as one: given `date > now` as well, SQLite's planner started the scan at now and walked
   * every event before the cursor (1.6 ms for a page 7,500 events deep, 0.12 ms with one bound);
   * MariaDB does not range-scan the row-value form `(date, id) > (?, ?)` at all.
   */
  private pageQuery(limit: number, fromCursor: boolean): BuiltQuery {
    return cached(this.pageQueries, `${limit}:${fromCursor}`, () =>
      new BuiltQuery((dataSource) => {
        const builder = dataSource
          .getRepository(Event)
          .createQueryBuilder('event')
          .where('event.status = :scheduled')
          .orderBy('event.date', 'ASC')
          .addOrderBy('event.id', 'ASC')
          .limit(limit + 1);
        return fromCursor
          ? builder.andWhere('event.date >= :afterDate').andWhere('(event.date > :afterDate OR event.id > :afterId)')
          : builder.andWhere('event.date > :now');
      }),
    );
  }

  /**
   * One built query per shape of search (how many words, which filters); the page's lower bound is
   * always one range, `date >= ? AND (date > ? OR id > ?)`, which both databases scan as one (see
   * lowerBound). Events are read from the word's rows when there are words, so that the page walks
   * idx_event_search_terms_term_date in order.
   */
  private searchQuery(terms: number, venue: boolean, byGram: boolean, to: boolean, available: boolean): BuiltQuery {
    return cached(this.searchQueries, `${terms}:${venue}:${byGram}:${to}:${available}`, () =>
      new BuiltQuery((dataSource) => {
        const builder = dataSource.getRepository(Event).createQueryBuilder('event').where('event.status = :scheduled');
        const [date, id] = terms > 0 || byGram ? ['driver.date', 'driver.eventId'] : ['event.date', 'event.id'];
        if (terms > 0) builder.innerJoin(EventSearchTerm, 'driver', 'driver.eventId = event.id AND driver.term = :driver');
        else if (byGram) builder.innerJoin(EventVenueGram, 'driver', 'driver.eventId = event.id AND driver.gram = :driver');
        for (let i = 0; i < terms - 1; i++) {
          builder.andWhere(`EXISTS (SELECT 1 FROM event_search_terms other${i} WHERE other${i}.event_id = event.id AND other${i}.term = :term${i})`);
        }
        builder.andWhere(`${date} >= :lowerDate`).andWhere(`(${date} > :lowerDate OR ${id} > :lowerId)`);
        if (to) builder.andWhere(`${date} <= :to`);
        if (venue) builder.andWhere("event.venueKey LIKE :venue ESCAPE '!'");
        if (available) {
          // A scalar subquery, not EXISTS: MariaDB turns EXISTS into a semi-join that materialises
          // every category of every event first (0.3 s on 110,000 events); this one is a lookup per event.
          builder.andWhere(
            '(SELECT 1 FROM ticket_categories open WHERE open.event_id = event.id AND open.hidden = :no AND open.sales_closed = :no' +
              ' AND open.seats_sold + open.seats_held < open.seats_limit' +
              ' AND (open.sales_start IS NULL OR open.sales_start <= :now) AND (open.sales_end IS NULL OR open.sales_end > :now) LIMIT 1) IS NOT NULL',
          );
        }
        return builder.orderBy(date, 'ASC').addOrderBy(id, 'ASC');
      }),
    );
  }

  private async attachCategories(source: Queryable, events: Event[]): Promise<void> {
    if (events.length === 0) return;
    const byEventId = new Map(events.map((event) => [event.id, event]));
    const rows = await this.categoriesOfEvents.rows(source, { eventIds: [...byEventId.keys()] });
    const categories = rows.map(ticketCategoryFromRow);
    for (const category of categories) byEventId.get(category.eventId)?.ticketCategories.push(category);
    await countOnlyUnexpiredHolds(source, categories);
  }
}

/** An event as the queries above select it (alias `event`), without its categories yet. */
function eventFromRow(row: Record<string, unknown>): Event {
  return Object.assign(new Event(), {
    id: Number(row.event_id),
    name: String(row.event_name),
    venue: String(row.event_venue),
    details: readNullableString(row.event_details),
    date: readDate(row.event_date),
    createdAt: readDate(row.event_created_at),
    organizerId: readNullableInteger(row.event_organizer_id),
    status: row.event_status as EventStatus,
    cancelledAt: readNullableDate(row.event_cancelled_at),
    maxTicketsPerBooking: readNullableInteger(row.event_max_tickets_per_booking),
    timezone: String(row.event_timezone),
    currency: String(row.event_currency),
    ticketCategories: [],
  });
}

/**
 * Where a page starts, as one bound of the form `date >= lowerDate AND (date > lowerDate OR
 * id > lowerId)`: after the cursor, from `from` (inclusive: any id), or after now (exclusive: no
 * id is larger than the largest), whichever is latest.
 */
function lowerBound(now: Date, from: Date | undefined, after: EventCursor | undefined): { lowerDate: Date; lowerId: number } {
  const bounds = [{ lowerDate: now, lowerId: Number.MAX_SAFE_INTEGER }];
  if (from !== undefined) bounds.push({ lowerDate: from, lowerId: 0 });
  if (after !== undefined) bounds.push({ lowerDate: after.date, lowerId: after.id });
  return bounds.reduce((latest, bound) => (bound.lowerDate.getTime() - latest.lowerDate.getTime() || bound.lowerId - latest.lowerId) > 0 ? bound : latest);
}

/** An event's words or pieces, TERMS_PER_INSERT rows per statement: a long text has hundreds. */
async function insertInBatches<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: QueryDeepPartialEntity<T>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += TERMS_PER_INSERT) await manager.insert(entity, rows.slice(start, start + TERMS_PER_INSERT));
}

/** How many upcoming events have the word or piece, counted up to RARITY_SAMPLE. */
function upcomingCount(entity: typeof EventSearchTerm | typeof EventVenueGram, column: 'term' | 'gram'): BuiltQuery {
  return new BuiltQuery((dataSource) =>
    dataSource
      .createQueryBuilder()
      .select('COUNT(*)', 'n')
      .from((sample) => sample.select('1', 'one').from(entity, 'entry').where(`entry.${column} = :key AND entry.date > :now`).limit(RARITY_SAMPLE), 'sample'),
  );
}

/** At most `count` of the items, the first and the last among them, evenly apart in between. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]);
}
