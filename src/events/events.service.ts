import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, Repository, type DataSource } from 'typeorm';
import { Hold, HoldStatus } from '../bookings/hold.entity.js';
import { EventNotFoundError } from '../common/domain-error.js';
import { toCents } from '../common/money.js';
import { BuiltQuery, hydrate } from '../database/built-query.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { CreateEventDto } from './dto/create-event.dto.js';
import { DEFAULT_PAGE_SIZE, type ListEventsQuery } from './dto/list-events.query.js';
import { Event } from './event.entity.js';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';
import { categoryNameKey, TicketCategory } from './ticket-category.entity.js';

export interface EventPage {
  events: Event[];
  nextCursor: string | undefined;
  limit: number;
}

@Injectable()
export class EventsService {
  private readonly eventWithCategories = new BuiltQuery(() =>
    this.events.createQueryBuilder('event').leftJoinAndSelect('event.ticketCategories', 'category').where('event.id = :id'),
  );
  private readonly categoriesOfEvents = new BuiltQuery(() => this.categories.createQueryBuilder('category').where('category.eventId IN (:...eventIds)'));
  private readonly pageQueries = new Map<string, BuiltQuery>();

  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    @InjectRepository(TicketCategory) private readonly categories: Repository<TicketCategory>,
    private readonly transactions: TransactionRunner,
  ) {}

  private get dataSource(): DataSource {
    return this.events.manager.connection;
  }

  async create(dto: CreateEventDto): Promise<Event> {
    const event = this.events.create({
      name: dto.name,
      venue: dto.venue,
      details: dto.details ?? null,
      date: new Date(dto.date),
      createdAt: new Date(),
      ticketCategories: dto.ticket_categories.map((category) =>
        this.categories.create({
          name: category.name,
          nameKey: categoryNameKey(category.name),
          priceCents: toCents(category.price),
          seatsLimit: category.seats_limit,
          seatsSold: category.seats_sold ?? 0,
          seatsHeld: 0,
          maxPerBooking: category.max_per_booking ?? null,
        }),
      ),
    });
    return this.transactions.run((manager) => manager.save(event));
  }

  /**
   * The event with its categories in one query; past events too. Every booking starts here, so the
   * SQL is built once (see BuiltQuery). Not `findOne` with relations: its implicit LIMIT 1 makes
   * TypeORM run a DISTINCT id query first, a second round trip.
   */
  async findOne(id: number): Promise<Event> {
    const rows = await this.eventWithCategories.rows(this.dataSource, { id });
    if (rows.length === 0) throw new EventNotFoundError(id);
    const event = hydrate(this.dataSource, Event, 'event', rows[0]);
    event.ticketCategories = rows
      .filter((row) => row.category_id !== null && row.category_id !== undefined)
      .map((row) => hydrate(this.dataSource, TicketCategory, 'category', row));
    await this.countOnlyUnexpiredHolds(event.ticketCategories);
    return event;
  }

  /** Upcoming events by (date, id), keyset-paginated so deep pages cost the same as the first. */
  async findUpcoming(query: ListEventsQuery): Promise<EventPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor === undefined ? undefined : decodeEventCursor(query.cursor);
    const rows = await this.pageQuery(limit, after !== undefined).rows(this.dataSource, {
      now: new Date(),
      afterDate: after?.date,
      afterId: after?.id,
    });
    const events = rows.slice(0, limit).map((row) => hydrate(this.dataSource, Event, 'event', row));
    await this.attachCategories(events);
    const last = events.at(-1);
    const nextCursor = rows.length > limit && last ? encodeEventCursor(last) : undefined;
    return { events, nextCursor, limit };
  }

  /** One built query per page size, with and without a cursor: LIMIT is written into the SQL. */
  private pageQuery(limit: number, afterCursor: boolean): BuiltQuery {
    const key = `${limit}:${afterCursor}`;
    let built = this.pageQueries.get(key);
    if (!built) {
      built = new BuiltQuery(() => {
        const builder = this.events
          .createQueryBuilder('event')
          .where('event.date > :now')
          .orderBy('event.date', 'ASC')
          .addOrderBy('event.id', 'ASC')
          .limit(limit + 1);
        if (afterCursor) builder.andWhere('(event.date > :afterDate OR (event.date = :afterDate AND event.id > :afterId))');
        return builder;
      });
      this.pageQueries.set(key, built);
    }
    return built;
  }

  private async attachCategories(events: Event[]): Promise<void> {
    if (events.length === 0) return;
    const byEventId = new Map(events.map((event) => [event.id, event]));
    for (const event of events) event.ticketCategories = [];
    const rows = await this.categoriesOfEvents.rows(this.dataSource, { eventIds: [...byEventId.keys()] });
    const categories = rows.map((row) => hydrate(this.dataSource, TicketCategory, 'category', row));
    for (const category of categories) byEventId.get(category.eventId)?.ticketCategories.push(category);
    await this.countOnlyUnexpiredHolds(categories);
  }

  /**
   * The seats_held counter still includes holds that expired since the last sweep; what we
   * publish never does. Only categories with held seats cost a query, and one query covers them all.
   */
  private async countOnlyUnexpiredHolds(categories: TicketCategory[]): Promise<void> {
    const withHolds = categories.filter((category) => category.seatsHeld > 0);
    if (withHolds.length === 0) return;
    const rows = await this.events.manager
      .createQueryBuilder(Hold, 'hold')
      .select('hold.ticketCategoryId', 'categoryId')
      .addSelect('SUM(hold.quantity)', 'seats')
      .where({ ticketCategoryId: In(withHolds.map((category) => category.id)), status: HoldStatus.Active, expiresAt: MoreThan(new Date()) })
      .groupBy('hold.ticketCategoryId')
      .getRawMany<{ categoryId: number | string; seats: number | string }>();
    const heldNow = new Map(rows.map((row) => [Number(row.categoryId), Number(row.seats)]));
    for (const category of withHolds) category.seatsHeld = heldNow.get(category.id) ?? 0;
  }
}
