import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { EventCancelledError, EventInPastError, EventNotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { inexactAmountMessage, isExactIn } from '../common/currency.js';
import { toCents } from '../common/money.js';
import { searchTerms, venueKey } from '../common/search-terms.js';
import { canonicalTimeZone } from '../common/time-zone.js';
import type { Environment } from '../config/environment.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { SEAT_LEDGER, type CategoryTerms, type SeatLedger } from '../inventory/seat-ledger.js';
import { categoryNameKey, type TicketCategory } from '../inventory/ticket-category.entity.js';
import { messagesStatement } from '../outbox/announcements.js';
import { MAX_CATEGORIES, type CreateEventDto } from './dto/create-event.dto.js';
import { DEFAULT_PAGE_SIZE } from './dto/list-events.query.js';
import type { SearchEventsQuery } from './dto/search-events.query.js';
import type { UpdateEventDto, UpdateTicketCategoryDto } from './dto/update-event.dto.js';
import { EventStatus, hasTakenPlace, type Event } from './event.entity.js';
import { decodeEventCursor, encodeEventCursor, filtersFingerprint } from './event-cursor.js';
import { EventReadCache } from './event-read-cache.js';
import { mapEvent } from './event.mapper.js';
import { EventsRepository, type CategorySettings, type EventFields, type EventSearch, type EventWithTicket, type NewCategory } from './events.repository.js';

export interface EventPage {
  events: Event[];
  nextCursor: string | undefined;
  limit: number;
}

@Injectable()
export class EventsService {
  private readonly defaultCurrency: string;

  constructor(
    private readonly events: EventsRepository,
    private readonly transactions: TransactionRunner,
    @Inject(SEAT_LEDGER) private readonly ledger: SeatLedger,
    private readonly readCache: EventReadCache,
    config: ConfigService<Environment, true>,
  ) {
    this.defaultCurrency = config.get('DEFAULT_CURRENCY', { infer: true });
  }

  async create(dto: CreateEventDto, organizerId: number): Promise<Event> {
    const fields = {
      name: dto.name,
      venue: dto.venue,
      details: dto.details ?? null,
      date: new Date(dto.date),
      maxTicketsPerBooking: dto.max_tickets_per_booking ?? null,
      timezone: canonicalTimeZone(dto.timezone ?? 'UTC') as string,
      currency: dto.currency ?? this.defaultCurrency,
      organizerId,
    };
    const categories = dto.ticket_categories.map((category) => newCategory({ ...category, seatsSold: category.seats_sold ?? 0 }));
    const problems = categories.flatMap((category, index) => categoryProblems(`ticket_categories.${index}`, category, fields.currency, fields.date));
    if (problems.length > 0) throw new ValidationFailedError(problems);
    // A new event takes a place in the list: the cached pages from there on hold other events now.
    return this.transactions
      .run(async (manager) => this.announce(manager, 'event.created', await this.events.insert(manager, fields, categories)))
      .finally(() => this.readCache.invalidatePages());
  }

  /** Past events too; held seats are counted as of now. */
  async findOne(id: number): Promise<Event> {
    const event = await this.events.findOne(id);
    if (!event) throw new EventNotFoundError(id);
    return event;
  }

  /** findOne, and the event's ticket of that code (null when it has none), read together. */
  async findOneWithTicket(id: number, code: string): Promise<EventWithTicket> {
    const found = await this.events.findOneWithTicket(id, code);
    if (!found) throw new EventNotFoundError(id);
    return found;
  }

  /** The same for the public page of the event: from a read replica when there are any, so possibly behind. */
  async findPublic(id: number): Promise<Event> {
    const event = await this.events.findPublic(id);
    if (!event) throw new EventNotFoundError(id);
    return event;
  }

  /** Another organiser's event answers exactly like a missing one, so its existence is not revealed. */
  async findOwned(id: number, organizerId: number): Promise<Event> {
    const event = await this.findOne(id);
    if (event.organizerId !== organizerId) throw new EventNotFoundError(id);
    return event;
  }

  /** An event its organiser may still change (scheduled, not yet taken place), with what it holds. */
  async findChangeable(id: number, organizerId: number): Promise<Event> {
    const event = await this.findOwned(id, organizerId);
    assertChangeable(event, new Date());
    return event;
  }

  /**
   * Upcoming scheduled events by (date, id), keyset-paginated so deep pages cost the same as the
   * first; narrowed by the query's filters when it has any, and then a cursor is valid only with
   * the same filters. From a read replica when there are any.
   */
  async findUpcoming(query: SearchEventsQuery): Promise<EventPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const search = searchOf(query);
    const fingerprint = search && filtersFingerprint([search.terms, search.venue, search.from?.toISOString(), search.to?.toISOString(), search.available]);
    const after = query.cursor === undefined ? undefined : decodeEventCursor(query.cursor, fingerprint);
    const rows = search ? await this.events.search(search, limit, after) : await this.events.findUpcoming(limit, after);
    const events = rows.slice(0, limit);
    const last = events.at(-1);
    const nextCursor = rows.length > limit && last ? encodeEventCursor(last, fingerprint) : undefined;
    return { events, nextCursor, limit };
  }

  /**
   * Changes event fields and categories in one transaction, under the event's lock: which names are
   * new and how many categories there are is decided on the categories of that moment, so two
   * PATCHes of one event never add a category twice or past the limit. The seat ledger checks each
   * new seats_limit against what is sold and held then. A past event is history and stays as it was.
   */
  async update(id: number, organizerId: number, dto: UpdateEventDto): Promise<Event> {
    const { currency } = await this.findChangeable(id, organizerId);
    return this.transactions.run(async (manager) => {
      const now = new Date();
      const current = await this.lockedEvent(manager, id);
      assertChangeable(current, now);
      const categories = await this.events.categoriesOf(manager, id);
      const byKey = new Map(categories.map((category) => [category.nameKey, category]));
      const requested = dto.ticket_categories ?? [];
      const additions = completeAdditions(requested, new Set(byKey.keys()));
      if (categories.length + additions.length > MAX_CATEGORIES) {
        throw new ValidationFailedError([`an event has at most ${MAX_CATEGORIES} ticket categories`]);
      }
      const date = dto.date === undefined ? current.date : new Date(dto.date);
      const problems = changeProblems(categories, requested, currency, date);
      if (problems.length > 0) throw new ValidationFailedError(problems);
      const terms = requested.flatMap((change) => {
        const category = byKey.get(categoryNameKey(change.name));
        return category ? [categoryTerms(category, change)] : [];
      });
      await this.ledger.changeTerms(manager, terms, now);
      for (const change of requested) {
        const category = byKey.get(categoryNameKey(change.name));
        if (category) await this.events.updateCategory(manager, category.id, settingsChanges(change));
      }
      await this.events.insertCategories(manager, id, additions.map((addition) => newCategory({ ...addition, seatsSold: 0 })));
      await this.events.update(manager, id, eventChanges(dto));
      return this.announce(manager, 'event.updated', id);
    }).finally(() => this.dropCachedReads(id, dto.date !== undefined));
  }

  /** Cancels the event with everything sold or held for it, in one transaction. Cancelling again answers the cancelled event. */
  async cancel(id: number, organizerId: number): Promise<Event> {
    const event = await this.findOwned(id, organizerId);
    if (event.status === EventStatus.Cancelled) return event;
    if (hasTakenPlace(event, new Date())) throw new EventInPastError(id, 'cancelled');

    const cancelled = await this.transactions.run(async (manager) => {
      const now = new Date();
      const current = await this.lockedEvent(manager, id);
      if (current.status === EventStatus.Cancelled) return undefined;
      if (hasTakenPlace(current, now)) throw new EventInPastError(id, 'cancelled');
      await this.ledger.closeSales(manager, id, event.ticketCategories.map((category) => category.id), now);
      await this.events.markCancelled(manager, id, now);
      return this.announce(manager, 'event.cancelled', id);
    }).finally(() => this.dropCachedReads(id, false));
    return cancelled ?? this.findOne(id);
  }

  /**
   * Once an organiser's change has ended (a failure may follow a commit the connection could not
   * confirm), the read cache drops what it shows of the event; a new date moves the event in the
   * list, so every page goes.
   */
  private dropCachedReads(id: number, moved: boolean): void {
    this.readCache.invalidate(id);
    if (moved) this.readCache.invalidatePages();
  }

  /**
   * The event as its organiser sees it after the change, read and announced inside the change's
   * transaction, and answered to the organiser as announced. Cancelling an event cancels its
   * bookings and releases its holds with it: that is one `event.cancelled`, not a message per booking.
   */
  private async announce(manager: EntityManager, type: 'event.created' | 'event.updated' | 'event.cancelled', id: number): Promise<Event> {
    const event = (await this.events.findOneIn(manager, id)) as Event;
    await manager.query(...messagesStatement(manager.connection, [{ type, eventId: id, data: mapEvent(event, event.organizerId ?? undefined) }]));
    return event;
  }

  private async lockedEvent(manager: EntityManager, id: number): Promise<Pick<Event, 'id' | 'status' | 'date'>> {
    const event = await this.events.lock(manager, id);
    if (!event) throw new EventNotFoundError(id);
    return event;
  }
}

/** Only a scheduled event that has not yet taken place can be changed. */
function assertChangeable(event: Pick<Event, 'id' | 'status' | 'date'>, now: Date): void {
  if (event.status === EventStatus.Cancelled) throw new EventCancelledError(event.id);
  if (hasTakenPlace(event, now)) throw new EventInPastError(event.id, 'changed');
}

interface CategoryInput {
  name: string;
  price: number;
  seats_limit: number;
  max_per_booking?: number | null;
  sales_start?: string | null;
  sales_end?: string | null;
  hidden?: boolean;
}

function newCategory(values: CategoryInput & { seatsSold: number }): NewCategory {
  return {
    name: values.name,
    nameKey: categoryNameKey(values.name),
    priceCents: toCents(values.price),
    seatsLimit: values.seats_limit,
    seatsSold: values.seatsSold,
    maxPerBooking: values.max_per_booking ?? null,
    salesStart: values.sales_start ? new Date(values.sales_start) : null,
    salesEnd: values.sales_end ? new Date(values.sales_end) : null,
    hidden: values.hidden ?? false,
  };
}

/**
 * What a category breaks of the rules that depend on its event: a price exact to the event's
 * currency, and a sales window that closes by the event's date (and opens before it closes).
 */
function categoryProblems(field: string, category: Pick<NewCategory, 'priceCents' | 'salesStart' | 'salesEnd'> & { priceChanged?: boolean }, currency: string, date: Date): string[] {
  const problems: string[] = [];
  if (category.priceChanged !== false && !isExactIn(category.priceCents, currency)) problems.push(inexactAmountMessage(`${field}.price`, currency));
  const { salesStart: start, salesEnd: end } = category;
  if (start && end && end.getTime() <= start.getTime()) problems.push(`${field}.sales_end must be later than ${field}.sales_start`);
  if (end && end.getTime() > date.getTime()) problems.push(`${field}.sales_end must not be after the event's date`);
  if (start && start.getTime() >= date.getTime()) problems.push(`${field}.sales_start must be before the event's date`);
  return problems;
}

/**
 * The same rules for every category as a PATCH leaves it: those it changes or adds, and, when the
 * date moves, those it does not touch (named as they are).
 */
function changeProblems(categories: TicketCategory[], requested: UpdateTicketCategoryDto[], currency: string, date: Date): string[] {
  const byKey = new Map(categories.map((category) => [category.nameKey, category]));
  const touched = new Set<string>();
  const problems = requested.flatMap((change, index) => {
    const key = categoryNameKey(change.name);
    touched.add(key);
    const existing = byKey.get(key);
    const when = (value: string | null | undefined, current: Date | null) => (value === undefined ? current : value === null ? null : new Date(value));
    return categoryProblems(
      `ticket_categories.${index}`,
      {
        priceCents: change.price === undefined ? (existing?.priceCents ?? 0) : toCents(change.price),
        priceChanged: change.price !== undefined,
        salesStart: when(change.sales_start, existing?.salesStart ?? null),
        salesEnd: when(change.sales_end, existing?.salesEnd ?? null),
      },
      currency,
      date,
    );
  });
  for (const category of categories) {
    if (!touched.has(category.nameKey)) problems.push(...categoryProblems(`sales window of "${category.name}"`, { ...category, priceChanged: false }, currency, date));
  }
  return problems;
}

/** The categories a PATCH adds, each of which needs the price and seats_limit that creation needs. */
function completeAdditions(changes: UpdateTicketCategoryDto[], existingKeys: Set<string>): CategoryInput[] {
  const additions: CategoryInput[] = [];
  const problems: string[] = [];
  changes.forEach((change, index) => {
    if (existingKeys.has(categoryNameKey(change.name))) return;
    const { price, seats_limit: seatsLimit } = change;
    if (price === undefined) problems.push(`ticket_categories.${index}.price is required for a new category`);
    if (seatsLimit === undefined) problems.push(`ticket_categories.${index}.seats_limit is required for a new category`);
    if (price !== undefined && seatsLimit !== undefined) {
      additions.push({ name: change.name, price, seats_limit: seatsLimit, max_per_booking: change.max_per_booking, sales_start: change.sales_start, sales_end: change.sales_end, hidden: change.hidden });
    }
  });
  if (problems.length > 0) throw new ValidationFailedError(problems);
  return additions;
}

function categoryTerms(category: TicketCategory, change: UpdateTicketCategoryDto): CategoryTerms {
  return {
    categoryId: category.id,
    ...(change.price !== undefined && { priceCents: toCents(change.price) }),
    ...(change.seats_limit !== undefined && { seatsLimit: change.seats_limit }),
    ...(change.max_per_booking !== undefined && { maxPerBooking: change.max_per_booking }),
  };
}

function settingsChanges(change: UpdateTicketCategoryDto): Partial<CategorySettings> {
  return {
    ...(change.sales_start !== undefined && { salesStart: change.sales_start === null ? null : new Date(change.sales_start) }),
    ...(change.sales_end !== undefined && { salesEnd: change.sales_end === null ? null : new Date(change.sales_end) }),
    ...(change.hidden !== undefined && { hidden: change.hidden }),
  };
}

/** The filters of a list query, or undefined when it has none (the plain list). */
function searchOf(query: SearchEventsQuery): EventSearch | undefined {
  const available = query.available === 'true';
  if (query.q === undefined && query.venue === undefined && query.from === undefined && query.to === undefined && !available) return undefined;
  return {
    terms: query.q === undefined ? [] : searchTerms(query.q),
    venue: query.venue === undefined ? undefined : venueKey(query.venue),
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
    available,
  };
}

function eventChanges(dto: UpdateEventDto): Partial<EventFields> {
  return {
    ...(dto.timezone !== undefined && { timezone: canonicalTimeZone(dto.timezone) }),
    ...(dto.name !== undefined && { name: dto.name }),
    ...(dto.venue !== undefined && { venue: dto.venue }),
    ...(dto.details !== undefined && { details: dto.details }),
    ...(dto.date !== undefined && { date: new Date(dto.date) }),
    ...(dto.max_tickets_per_booking !== undefined && { maxTicketsPerBooking: dto.max_tickets_per_booking }),
  };
}
