import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventCancelledError, EventInPastError, EventNotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { toCents } from '../common/money.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { SEAT_LEDGER, type CategoryTerms, type SeatLedger } from '../inventory/seat-ledger.js';
import { categoryNameKey, type TicketCategory } from '../inventory/ticket-category.entity.js';
import { MAX_CATEGORIES, type CreateEventDto } from './dto/create-event.dto.js';
import { DEFAULT_PAGE_SIZE, type ListEventsQuery } from './dto/list-events.query.js';
import type { UpdateEventDto, UpdateTicketCategoryDto } from './dto/update-event.dto.js';
import { EventStatus, hasTakenPlace, type Event } from './event.entity.js';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';
import { EventReadCache } from './event-read-cache.js';
import { EventsRepository, type EventFields, type NewCategory } from './events.repository.js';

export interface EventPage {
  events: Event[];
  nextCursor: string | undefined;
  limit: number;
}

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly transactions: TransactionRunner,
    @Inject(SEAT_LEDGER) private readonly ledger: SeatLedger,
    private readonly readCache: EventReadCache,
  ) {}

  async create(dto: CreateEventDto, organizerId: number): Promise<Event> {
    const fields = {
      name: dto.name,
      venue: dto.venue,
      details: dto.details ?? null,
      date: new Date(dto.date),
      maxTicketsPerBooking: dto.max_tickets_per_booking ?? null,
      organizerId,
    };
    const categories = dto.ticket_categories.map((category) => newCategory({ ...category, seatsSold: category.seats_sold ?? 0 }));
    // A new event takes a place in the list: the cached pages from there on hold other events now.
    const id = await this.transactions.run((manager) => this.events.insert(manager, fields, categories)).finally(() => this.readCache.invalidatePages());
    return this.findOne(id);
  }

  /** Past events too; held seats are counted as of now. */
  async findOne(id: number): Promise<Event> {
    const event = await this.events.findOne(id);
    if (!event) throw new EventNotFoundError(id);
    return event;
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

  /**
   * Upcoming scheduled events by (date, id), keyset-paginated so deep pages cost the same as the
   * first; from a read replica when there are any.
   */
  async findUpcoming(query: ListEventsQuery): Promise<EventPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor === undefined ? undefined : decodeEventCursor(query.cursor);
    const rows = await this.events.findUpcoming(limit, after);
    const events = rows.slice(0, limit);
    const last = events.at(-1);
    const nextCursor = rows.length > limit && last ? encodeEventCursor(last) : undefined;
    return { events, nextCursor, limit };
  }

  /**
   * Changes event fields and categories in one transaction, under the event's lock: which names are
   * new and how many categories there are is decided on the categories of that moment, so two
   * PATCHes of one event never add a category twice or past the limit. The seat ledger checks each
   * new seats_limit against what is sold and held then. A past event is history and stays as it was.
   */
  async update(id: number, organizerId: number, dto: UpdateEventDto): Promise<Event> {
    assertChangeable(await this.findOwned(id, organizerId), new Date());
    await this.transactions.run(async (manager) => {
      const now = new Date();
      assertChangeable(await this.lockedEvent(manager, id), now);
      const categories = await this.events.categoriesOf(manager, id);
      const byKey = new Map(categories.map((category) => [category.nameKey, category]));
      const requested = dto.ticket_categories ?? [];
      const additions = completeAdditions(requested, new Set(byKey.keys()));
      if (categories.length + additions.length > MAX_CATEGORIES) {
        throw new ValidationFailedError([`an event has at most ${MAX_CATEGORIES} ticket categories`]);
      }
      const terms = requested.flatMap((change) => {
        const category = byKey.get(categoryNameKey(change.name));
        return category ? [categoryTerms(category, change)] : [];
      });
      await this.ledger.changeTerms(manager, terms, now);
      await this.events.insertCategories(manager, id, additions.map((addition) => newCategory({ ...addition, seatsSold: 0 })));
      await this.events.update(manager, id, eventChanges(dto));
    }).finally(() => this.dropCachedReads(id, dto.date !== undefined));
    return this.findOne(id);
  }

  /** Cancels the event with everything sold or held for it, in one transaction. Cancelling again answers the cancelled event. */
  async cancel(id: number, organizerId: number): Promise<Event> {
    const event = await this.findOwned(id, organizerId);
    if (event.status === EventStatus.Cancelled) return event;
    if (hasTakenPlace(event, new Date())) throw new EventInPastError(id, 'cancelled');

    await this.transactions.run(async (manager) => {
      const now = new Date();
      const current = await this.lockedEvent(manager, id);
      if (current.status === EventStatus.Cancelled) return;
      if (hasTakenPlace(current, now)) throw new EventInPastError(id, 'cancelled');
      await this.ledger.closeSales(manager, id, event.ticketCategories.map((category) => category.id), now);
      await this.events.markCancelled(manager, id, now);
    }).finally(() => this.dropCachedReads(id, false));
    return this.findOne(id);
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
}

function newCategory(values: CategoryInput & { seatsSold: number }): NewCategory {
  return {
    name: values.name,
    nameKey: categoryNameKey(values.name),
    priceCents: toCents(values.price),
    seatsLimit: values.seats_limit,
    seatsSold: values.seatsSold,
    maxPerBooking: values.max_per_booking ?? null,
  };
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
      additions.push({ name: change.name, price, seats_limit: seatsLimit, max_per_booking: change.max_per_booking });
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

function eventChanges(dto: UpdateEventDto): Partial<EventFields> {
  return {
    ...(dto.name !== undefined && { name: dto.name }),
    ...(dto.venue !== undefined && { venue: dto.venue }),
    ...(dto.details !== undefined && { details: dto.details }),
    ...(dto.date !== undefined && { date: new Date(dto.date) }),
    ...(dto.max_tickets_per_booking !== undefined && { maxTicketsPerBooking: dto.max_tickets_per_booking }),
  };
}
