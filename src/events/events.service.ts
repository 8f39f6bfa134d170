import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, Repository } from 'typeorm';
import { Hold, HoldStatus } from '../bookings/hold.entity.js';
import { EventNotFoundError } from '../common/domain-error.js';
import { toCents } from '../common/money.js';
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
  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    @InjectRepository(TicketCategory) private readonly categories: Repository<TicketCategory>,
    private readonly transactions: TransactionRunner,
  ) {}

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
   * The event with its categories in one query; past events too. Every booking starts here, so
   * the SQL is built by TypeORM once and reused, and rows are hydrated column by column through
   * the driver (types and transformers as TypeORM applies them): building the query and mapping
   * the joined result was most of TypeORM's CPU per booking. Not `findOne` with relations: its
   * implicit LIMIT 1 makes TypeORM run a DISTINCT id query first, a second round trip.
   */
  async findOne(id: number): Promise<Event> {
    // A string parameter: TypeORM writes numbers into the SQL as literals, strings as placeholders.
    this.findOneSql ??= this.events
      .createQueryBuilder('event')
      .leftJoinAndSelect('event.ticketCategories', 'category')
      .where('event.id = :id', { id: 'placeholder' })
      .getQueryAndParameters()[0];
    const rows: Record<string, unknown>[] = await this.events.query(this.findOneSql, [id]);
    if (rows.length === 0) throw new EventNotFoundError(id);
    const event = this.hydrate<Event>(Event, 'event', rows[0]);
    event.ticketCategories = rows
      .filter((row) => row.category_id !== null && row.category_id !== undefined)
      .map((row) => this.hydrate<TicketCategory>(TicketCategory, 'category', row));
    await this.countOnlyUnexpiredHolds(event.ticketCategories);
    return event;
  }

  private findOneSql: string | undefined;

  /** One entity from the columns TypeORM selected as `<alias>_<column>`. */
  private hydrate<T>(target: typeof Event | typeof TicketCategory, alias: string, row: Record<string, unknown>): T {
    const { driver } = this.events.manager.connection;
    const metadata = this.events.manager.connection.getMetadata(target);
    const entity = metadata.create() as Record<string, unknown>;
    for (const column of metadata.columns) {
      entity[column.propertyName] = driver.prepareHydratedValue(row[`${alias}_${column.databaseName}`], column);
    }
    return entity as T;
  }

  /** Upcoming events by (date, id), keyset-paginated so deep pages cost the same as the first. */
  async findUpcoming(query: ListEventsQuery): Promise<EventPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = this.events
      .createQueryBuilder('event')
      .where('event.date > :now', { now: new Date() })
      .orderBy('event.date', 'ASC')
      .addOrderBy('event.id', 'ASC')
      .limit(limit + 1);
    if (query.cursor !== undefined) {
      const after = decodeEventCursor(query.cursor);
      builder.andWhere('(event.date > :afterDate OR (event.date = :afterDate AND event.id > :afterId))', {
        afterDate: after.date,
        afterId: after.id,
      });
    }
    const rows = await builder.getMany();
    const events = rows.slice(0, limit);
    await this.attachCategories(events);
    const last = events.at(-1);
    const nextCursor = rows.length > limit && last ? encodeEventCursor(last) : undefined;
    return { events, nextCursor, limit };
  }

  private async attachCategories(events: Event[]): Promise<void> {
    if (events.length === 0) return;
    const byEventId = new Map(events.map((event) => [event.id, event]));
    for (const event of events) event.ticketCategories = [];
    const categories = await this.categories.find({ where: { eventId: In([...byEventId.keys()]) } });
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
