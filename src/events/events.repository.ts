import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { cached } from '../common/cached.js';
import { BuiltQuery, type Queryable } from '../database/built-query.js';
import { readDate, readNullableDate, readNullableInteger, readNullableString } from '../database/column-values.js';
import { ReadReplicas } from '../database/read-replicas.js';
import { supportsRowLocks } from '../database/row-locks.js';
import { countOnlyUnexpiredHolds } from '../inventory/held-seats.js';
import { ticketCategoryFromRow } from '../inventory/ledger-statements.js';
import { TicketCategory } from '../inventory/ticket-category.entity.js';
import { Event, EventStatus } from './event.entity.js';
import type { EventCursor } from './event-cursor.js';

/** A category as the organiser describes it, before it has an id or counters. */
export type NewCategory = Pick<TicketCategory, 'name' | 'nameKey' | 'priceCents' | 'seatsLimit' | 'seatsSold' | 'maxPerBooking'>;

export type EventFields = Pick<Event, 'name' | 'venue' | 'details' | 'date' | 'maxTicketsPerBooking'>;

/**
 * The queries of events and their categories. Reads run on the primary's pool, except the public
 * ones (`findPublic`, `findUpcoming`), which run on a read replica when there are any; writes run
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
  private readonly categoriesOfEvents = new BuiltQuery((dataSource) =>
    dataSource.getRepository(TicketCategory).createQueryBuilder('category').where('category.eventId IN (:...eventIds)'),
  );
  private readonly pageQueries = new Map<string, BuiltQuery>();

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

  /** Inserts the event and its categories; answers the event's id. */
  async insert(manager: EntityManager, fields: EventFields & Pick<Event, 'organizerId'>, categories: NewCategory[]): Promise<number> {
    const result = await manager.insert(Event, { ...fields, createdAt: new Date(), status: EventStatus.Scheduled, cancelledAt: null });
    const id = Number(result.identifiers[0].id);
    await this.insertCategories(manager, id, categories);
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
    if (Object.keys(fields).length > 0) await manager.update(Event, { id }, fields);
  }

  async markCancelled(manager: EntityManager, id: number, now: Date): Promise<void> {
    await manager.update(Event, { id }, { status: EventStatus.Cancelled, cancelledAt: now });
  }

  private async eventOn(source: Queryable, id: number): Promise<Event | undefined> {
    const rows = await this.eventWithCategories.rows(source, { id });
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
    ticketCategories: [],
  });
}
