import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type EntityManager, type Repository } from 'typeorm';
import { BookingNotFoundError, BusyTryAgainError, DomainError, EventInPastError } from '../common/domain-error.js';
import { CoalescedReads } from '../common/coalesced-reads.js';
import { decodeCursor, encodeCursor, isRowId } from '../common/page-cursor.js';
import { generateReference, normaliseReference } from '../common/reference.js';
import type { Environment } from '../config/environment.js';
import { BuiltQuery, insertedId, MultiRowInsert } from '../database/built-query.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { Event } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import type { TicketCategory } from '../events/ticket-category.entity.js';
import { MetricsService, type BookingOutcome } from '../metrics/metrics.service.js';
import { Booking, BookingStatus } from './booking.entity.js';
import { DEFAULT_PAGE_SIZE } from '../events/dto/list-events.query.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import type { ListBookingsQuery } from './dto/list-bookings.query.js';
import { changeSeats, changeSeatsOnCommit, freeOverdueSeatsIfShort, lockCategory, lockOpenCategory, type LockedCategory } from './hold-ledger.js';
import { allocateInArrivalOrder, assertSeatsAvailable, bookableCategory, hasTakenPlace } from './seat-rules.js';

/** Most bookings one coalesced transaction takes; the rest wait for the next one. */
export const MAX_BATCH = 100;

/** A validated booking request waiting for its category's next locked transaction. */
interface PendingBooking {
  event: Event;
  category: TicketCategory;
  dto: CreateBookingDto;
  resolve: (booking: Booking) => void;
  reject: (error: unknown) => void;
}

export interface BookingPage {
  bookings: Booking[];
  nextCursor: string | undefined;
  limit: number;
}

export interface NewBooking {
  eventId: number;
  quantity: number;
  unitPriceCents: number;
  customerName: string | null;
  customerEmail: string | null;
  reference?: string;
}

const insertedBookings = new MultiRowInsert(Booking, [
  'reference',
  'status',
  'eventId',
  'ticketCategoryId',
  'quantity',
  'unitPriceCents',
  'totalPriceCents',
  'customerName',
  'customerEmail',
  'createdAt',
  'cancelledAt',
]);

const idsByReference = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Booking).createQueryBuilder('booking').select(['booking.id', 'booking.reference']).where('booking.reference IN (:...references)'),
);

@Injectable()
export class BookingsService {
  private readonly coalescing: boolean;
  /** Per category: requests that arrived while a transaction on it was running. A key means one is running. */
  private readonly waiting = new Map<number, PendingBooking[]>();
  /** The event every booking validates against, read once per round trip however many buyers wait for it. */
  private readonly eventReads: CoalescedReads<number, Event>;

  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
    config: ConfigService<Environment, true>,
  ) {
    this.coalescing = config.get('BOOKING_COALESCING', { infer: true }) === 'on';
    this.eventReads = new CoalescedReads((eventId) => this.events.findOne(eventId));
  }

  async book(eventId: number, dto: CreateBookingDto): Promise<Booking> {
    try {
      const booking = await this.bookSeats(eventId, dto);
      this.metrics.recordBooking('created');
      return booking;
    } catch (error) {
      this.metrics.recordBooking(outcomeOf(error));
      throw error;
    }
  }

  /**
   * Everything that needs no lock is read and validated first; the category row is locked last
   * and held only for lock, update, insert, commit. With coalescing, buyers of the same event also
   * share the read they validate against.
   */
  private async bookSeats(eventId: number, dto: CreateBookingDto): Promise<Booking> {
    const event = this.coalescing ? await this.eventReads.read(eventId) : await this.events.findOne(eventId);
    const category = bookableCategory(event, dto.ticket_category, dto.quantity, new Date());
    if (!this.coalescing) return this.bookAlone({ event, category, dto });
    return new Promise<Booking>((resolve, reject) => this.enqueue({ event, category, dto, resolve, reject }));
  }

  /** One request, one transaction: lock, check, then update and insert sent with the commit. */
  private async bookAlone({ event, category, dto }: Omit<PendingBooking, 'resolve' | 'reject'>): Promise<Booking> {
    const { booking, inserted } = await this.transactions.run(async (manager, writes) => {
      const locked = await lockOpenCategory(manager, category.id, this.transactions.writeLock);
      await freeOverdueSeatsIfShort(manager, locked, dto.quantity, new Date());
      assertSeatsAvailable(locked, dto.quantity);
      changeSeatsOnCommit(writes, manager, locked, { sold: dto.quantity });
      const booking = newBooking(manager, locked, newBookingValues(event, locked, dto));
      return { booking, inserted: writes.add(insertedBookings.statement(manager.connection, [booking])) };
    });
    booking.id = insertedId(await inserted);
    return Object.assign(booking, { event, ticketCategory: category });
  }

  /**
   * The hot row's limit is the time its lock is held, not CPU: requests that arrive while a
   * transaction on their category runs wait and then share the next one, so the lock is taken
   * once for all of them. An idle category starts at once, so a lone buyer waits for nothing.
   */
  private enqueue(pending: PendingBooking): void {
    const categoryId = pending.category.id;
    const queue = this.waiting.get(categoryId);
    if (queue) {
      queue.push(pending);
      return;
    }
    this.waiting.set(categoryId, []);
    void this.drain(categoryId, [pending]);
  }

  private async drain(categoryId: number, first: PendingBooking[]): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      await this.settle(batch);
      const queue = this.waiting.get(categoryId) ?? [];
      batch = queue.splice(0, MAX_BATCH);
    }
    this.waiting.delete(categoryId);
  }

  /** Gives every request of the batch its own answer; never throws. */
  private async settle(batch: PendingBooking[]): Promise<void> {
    if (batch.length === 1) return settleAlone(batch[0], this.bookAlone(batch[0]));
    let outcomes: (Booking | DomainError)[];
    try {
      outcomes = await this.bookTogether(batch);
    } catch (error) {
      // A busy category is every request's answer; any other failure may be one request's doing,
      // so each is tried again on its own and gets only its own error.
      if (error instanceof BusyTryAgainError) {
        for (const pending of batch) pending.reject(new BusyTryAgainError());
        return;
      }
      await Promise.all(batch.map((pending) => settleAlone(pending, this.bookAlone(pending))));
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof DomainError) pending.reject(outcome);
      else pending.resolve(Object.assign(outcome, { event: pending.event, ticketCategory: pending.category }));
    });
  }

  /**
   * One transaction for a batch of one category: lock once, expire overdue holds once if short,
   * allocate in arrival order; then one UPDATE of the counters, one multi-row INSERT and the read
   * of the new ids, sent with the commit. Each request's outcome is its booking or its own
   * refusal; answers go out only after the commit.
   */
  private async bookTogether(batch: PendingBooking[]): Promise<(Booking | DomainError)[]> {
    const { refusals, bookings, ids } = await this.transactions.run(async (manager, writes) => {
      const locked = await lockOpenCategory(manager, batch[0].category.id, this.transactions.writeLock);
      const quantities = batch.map((pending) => pending.dto.quantity);
      await freeOverdueSeatsIfShort(manager, locked, sum(quantities), new Date());
      const refusals = allocateInArrivalOrder(locked, quantities);
      const accepted = batch.filter((_, i) => refusals[i] === undefined);
      if (accepted.length === 0) return { refusals, bookings: [], ids: Promise.resolve([]) };
      changeSeatsOnCommit(writes, manager, locked, { sold: sum(accepted.map((pending) => pending.dto.quantity)) });
      const bookings = accepted.map((pending) => newBooking(manager, locked, newBookingValues(pending.event, locked, pending.dto)));
      void writes.add(insertedBookings.statement(manager.connection, bookings));
      return { refusals, bookings, ids: writes.add(idsByReference.statement(manager, { references: bookings.map((booking) => booking.reference) })) };
    });
    fillIds(bookings, (await ids) as Record<string, unknown>[]);
    let next = 0;
    return refusals.map((refusal) => refusal ?? bookings[next++]);
  }

  async findByReference(reference: string): Promise<Booking> {
    const normalised = normaliseReference(reference);
    const booking =
      normalised === undefined
        ? null
        : await this.bookings.findOne({ where: { reference: normalised }, relations: { event: true, ticketCategory: true } });
    if (!booking) throw new BookingNotFoundError(reference);
    return booking;
  }

  /** An owner's view of an event's bookings, oldest first, keyset-paginated by id. */
  async listForEvent(eventId: number, organizerId: number, query: ListBookingsQuery): Promise<BookingPage> {
    const event = await this.events.findOwned(eventId, organizerId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.cursor === undefined ? 0 : decodeBookingCursor(query.cursor);
    const rows = await this.bookings.find({
      where: { eventId, id: MoreThan(afterId), ...(query.status && { status: query.status }) },
      relations: { ticketCategory: true },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    const bookings = rows.slice(0, limit).map((booking) => Object.assign(booking, { event }));
    const last = bookings.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor([last.id]) : undefined;
    return { bookings, nextCursor, limit };
  }

  /** Cancelling twice answers the same cancelled booking; seats return exactly once. */
  async cancel(reference: string): Promise<Booking> {
    const booking = await this.findByReference(reference);
    if (booking.status === BookingStatus.Cancelled) return booking;
    const now = new Date();
    if (hasTakenPlace(booking.event, now)) throw new EventInPastError(booking.eventId);

    return this.transactions.run(async (manager) => {
      const locked = await lockCategory(manager, booking.ticketCategoryId, this.transactions.writeLock);
      const current = await manager.findOneByOrFail(Booking, { id: booking.id });
      if (current.status === BookingStatus.Cancelled) {
        return Object.assign(booking, { status: current.status, cancelledAt: current.cancelledAt });
      }
      await manager.update(Booking, { id: booking.id }, { status: BookingStatus.Cancelled, cancelledAt: now });
      await changeSeats(manager, locked, { sold: -booking.quantity });
      return Object.assign(booking, { status: BookingStatus.Cancelled, cancelledAt: now });
    });
  }
}

/** Inserts a confirmed booking for seats already counted as sold on the locked category. */
export async function insertBooking(manager: EntityManager, category: LockedCategory, values: NewBooking): Promise<Booking> {
  const booking = newBooking(manager, category, values);
  booking.id = await insertedBookings.runOne(manager, booking);
  return booking;
}

/**
 * Ids of a multi-row INSERT are read back by reference rather than derived from the first insert
 * id: MySQL 8's interleaved auto-increment does not promise consecutive ids.
 */
function fillIds(bookings: Booking[], rows: Record<string, unknown>[]): void {
  const ids = new Map(rows.map((row) => [row.booking_reference as string, Number(row.booking_id)]));
  for (const booking of bookings) booking.id = ids.get(booking.reference) as number;
}

function newBooking(manager: EntityManager, category: LockedCategory, values: NewBooking): Booking {
  return manager.create(Booking, {
    reference: values.reference ?? generateReference(),
    status: BookingStatus.Confirmed,
    eventId: values.eventId,
    ticketCategoryId: category.id,
    quantity: values.quantity,
    unitPriceCents: values.unitPriceCents,
    totalPriceCents: values.unitPriceCents * values.quantity,
    customerName: values.customerName,
    customerEmail: values.customerEmail,
    createdAt: new Date(),
    cancelledAt: null,
  });
}

/** Priced from the locked row, so a price read before the lock never reaches a booking. */
function newBookingValues(event: Event, locked: LockedCategory, dto: CreateBookingDto): NewBooking {
  return {
    eventId: event.id,
    quantity: dto.quantity,
    unitPriceCents: locked.priceCents,
    customerName: dto.customer_name ?? null,
    customerEmail: dto.customer_email ?? null,
  };
}

async function settleAlone(pending: PendingBooking, booking: Promise<Booking>): Promise<void> {
  try {
    pending.resolve(await booking);
  } catch (error) {
    pending.reject(error);
  }
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** A refused booking is counted under its error code (`sold_out`, …); anything else is `error`. */
function outcomeOf(error: unknown): BookingOutcome {
  return error instanceof DomainError ? error.code.toLowerCase() : 'error';
}

/** Bookings are listed by id, so the position after a page is its last id. */
function decodeBookingCursor(cursor: string): number {
  return decodeCursor(cursor, (position) => (position.length === 1 && isRowId(position[0]) ? position[0] : undefined));
}
