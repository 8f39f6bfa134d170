import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, Repository, type DataSource } from 'typeorm';
import { Booking, BookingStatus } from '../bookings/booking.entity.js';
import { expireOverdueHolds, lockCategory } from '../bookings/hold-ledger.js';
import { Hold, HoldStatus } from '../bookings/hold.entity.js';
import { cached } from '../common/cached.js';
import { EventCancelledError, EventNotFoundError, SeatsLimitBelowSoldError, ValidationFailedError } from '../common/domain-error.js';
import { toCents } from '../common/money.js';
import { BuiltQuery, hydrate } from '../database/built-query.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { MAX_CATEGORIES, type CreateEventDto } from './dto/create-event.dto.js';
import { DEFAULT_PAGE_SIZE, type ListEventsQuery } from './dto/list-events.query.js';
import type { UpdateEventDto, UpdateTicketCategoryDto } from './dto/update-event.dto.js';
import { Event, EventStatus } from './event.entity.js';
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

  async create(dto: CreateEventDto, organizerId: number): Promise<Event> {
    const event = this.events.create({
      name: dto.name,
      venue: dto.venue,
      details: dto.details ?? null,
      date: new Date(dto.date),
      createdAt: new Date(),
      organizerId,
      status: EventStatus.Scheduled,
      cancelledAt: null,
      ticketCategories: dto.ticket_categories.map((category) =>
        this.newCategory({ ...category, seatsSold: category.seats_sold ?? 0 }),
      ),
    });
    return this.transactions.run((manager) => manager.save(event));
  }

  /** Another organiser's event answers exactly like a missing one, so its existence is not revealed. */
  async findOwned(id: number, organizerId: number): Promise<Event> {
    const event = await this.findOne(id);
    if (event.organizerId !== organizerId) throw new EventNotFoundError(id);
    return event;
  }

  /**
   * Changes event fields and categories in one transaction. Categories being changed are locked
   * (in id order, as bookings lock them one at a time), so a new seats_limit is checked against
   * the sold and held seats of that moment and no booking can slip past it.
   */
  async update(id: number, organizerId: number, dto: UpdateEventDto): Promise<Event> {
    const event = await this.findOwned(id, organizerId);
    if (event.status === EventStatus.Cancelled) throw new EventCancelledError(id);
    const byKey = new Map(event.ticketCategories.map((category) => [category.nameKey, category]));
    const changes = (dto.ticket_categories ?? []).filter((change) => byKey.has(categoryNameKey(change.name)));
    const additions = completeAdditions(dto.ticket_categories ?? [], new Set(byKey.keys()));
    if (event.ticketCategories.length + additions.length > MAX_CATEGORIES) {
      throw new ValidationFailedError([`an event has at most ${MAX_CATEGORIES} ticket categories`]);
    }

    await this.transactions.run(async (manager) => {
      const now = new Date();
      const ordered = changes
        .map((change) => ({ change, category: byKey.get(categoryNameKey(change.name)) as TicketCategory }))
        .sort((a, b) => a.category.id - b.category.id);
      for (const { change, category } of ordered) {
        const locked = await lockCategory(manager, category.id, this.transactions.writeLock);
        if (change.seats_limit !== undefined && change.seats_limit < locked.seatsSold + locked.seatsHeld) {
          await expireOverdueHolds(manager, locked, now);
          const taken = locked.seatsSold + locked.seatsHeld;
          if (change.seats_limit < taken) throw new SeatsLimitBelowSoldError(locked.name, taken);
        }
        const values = categoryChanges(change);
        if (Object.keys(values).length > 0) await manager.update(TicketCategory, { id: category.id }, values);
      }
      for (const addition of additions) {
        await manager.insert(TicketCategory, { ...this.newCategory({ ...addition, seatsSold: 0 }), eventId: id });
      }
      const values = eventChanges(dto);
      if (Object.keys(values).length > 0) await manager.update(Event, { id }, values);
    });
    return this.findOne(id);
  }

  /**
   * Cancels the event with everything sold or held for it, in one transaction: every category is
   * locked first, so no booking can commit in between; seats_sold falls back to what was sold
   * elsewhere (the initial seats_sold). Cancelling again answers the cancelled event.
   */
  async cancel(id: number, organizerId: number): Promise<Event> {
    const event = await this.findOwned(id, organizerId);
    if (event.status === EventStatus.Cancelled) return event;

    await this.transactions.run(async (manager) => {
      const now = new Date();
      const categories = [...event.ticketCategories].sort((a, b) => a.id - b.id);
      for (const category of categories) await lockCategory(manager, category.id, this.transactions.writeLock);
      const current = await manager.findOneByOrFail(Event, { id });
      if (current.status === EventStatus.Cancelled) return;
      for (const category of categories) {
        const row = await manager
          .createQueryBuilder(Booking, 'booking')
          .select('COALESCE(SUM(booking.quantity), 0)', 'seats')
          .where({ ticketCategoryId: category.id, status: BookingStatus.Confirmed })
          .getRawOne<{ seats: number | string }>();
        await manager
          .createQueryBuilder()
          .update(TicketCategory)
          .set({ seatsSold: () => `seats_sold - ${Number(row?.seats ?? 0)}`, seatsHeld: 0, salesClosed: true })
          .where('id = :id', { id: category.id })
          .execute();
      }
      await manager.update(Booking, { eventId: id, status: BookingStatus.Confirmed }, { status: BookingStatus.Cancelled, cancelledAt: now });
      await manager.update(Hold, { eventId: id, status: HoldStatus.Active }, { status: HoldStatus.Released });
      await manager.update(Event, { id }, { status: EventStatus.Cancelled, cancelledAt: now });
    });
    return this.findOne(id);
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

  /** Upcoming scheduled events by (date, id), keyset-paginated so deep pages cost the same as the first. */
  async findUpcoming(query: ListEventsQuery): Promise<EventPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor === undefined ? undefined : decodeEventCursor(query.cursor);
    const rows = await this.pageQuery(limit, after !== undefined).rows(this.dataSource, {
      scheduled: EventStatus.Scheduled,
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
    return cached(this.pageQueries, `${limit}:${afterCursor}`, () =>
      new BuiltQuery(() => {
        const builder = this.events
          .createQueryBuilder('event')
          .where('event.status = :scheduled')
          .andWhere('event.date > :now')
          .orderBy('event.date', 'ASC')
          .addOrderBy('event.id', 'ASC')
          .limit(limit + 1);
        if (afterCursor) builder.andWhere('(event.date > :afterDate OR (event.date = :afterDate AND event.id > :afterId))');
        return builder;
      }),
    );
  }

  private newCategory(values: NewCategory & { seatsSold: number }): TicketCategory {
    return this.categories.create({
      name: values.name,
      nameKey: categoryNameKey(values.name),
      priceCents: toCents(values.price),
      seatsLimit: values.seats_limit,
      seatsSold: values.seatsSold,
      seatsHeld: 0,
      maxPerBooking: values.max_per_booking ?? null,
      salesClosed: false,
    });
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

interface NewCategory {
  name: string;
  price: number;
  seats_limit: number;
  max_per_booking?: number | null;
}

/** The categories a PATCH adds, each of which needs the price and seats_limit that creation needs. */
function completeAdditions(changes: UpdateTicketCategoryDto[], existingKeys: Set<string>): NewCategory[] {
  const additions: NewCategory[] = [];
  const problems: string[] = [];
  changes.forEach((change, index) => {
    if (existingKeys.has(categoryNameKey(change.name))) return;
    const { price, seats_limit: seatsLimit } = change;
    if (price === undefined) problems.push(`ticket_categories.${index}.price is required for a new category`);
    if (seatsLimit === undefined) problems.push(`ticket_categories.${index}.seats_limit is required for a new category`);
    if (price !== undefined && seatsLimit !== undefined) {
      additions.push({ name: change.name, price, seats_limit: seatsLimit, max_per_booking: change.max_per_booking });
    }
  });
  if (problems.length > 0) throw new ValidationFailedError(problems);
  return additions;
}

function categoryChanges(change: UpdateTicketCategoryDto): Partial<TicketCategory> {
  return {
    ...(change.price !== undefined && { priceCents: toCents(change.price) }),
    ...(change.seats_limit !== undefined && { seatsLimit: change.seats_limit }),
    ...(change.max_per_booking !== undefined && { maxPerBooking: change.max_per_booking }),
  };
}

function eventChanges(dto: UpdateEventDto): Partial<Event> {
  return {
    ...(dto.name !== undefined && { name: dto.name }),
    ...(dto.venue !== undefined && { venue: dto.venue }),
    ...(dto.details !== undefined && { details: dto.details }),
    ...(dto.date !== undefined && { date: new Date(dto.date) }),
  };
}
