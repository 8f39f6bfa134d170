import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type EntityManager, type Repository } from 'typeorm';
import { BookingNotFoundError, DomainError, EventInPastError, ValidationFailedError } from '../common/domain-error.js';
import { generateReference, normaliseReference } from '../common/reference.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventsService } from '../events/events.service.js';
import { MetricsService, type BookingOutcome } from '../metrics/metrics.service.js';
import { Booking, BookingStatus } from './booking.entity.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import type { ListBookingsQuery } from './dto/list-bookings.query.js';
import { DEFAULT_PAGE_SIZE } from '../events/dto/list-events.query.js';
import { changeSeats, freeOverdueSeatsIfShort, lockCategory, lockOpenCategory, type LockedCategory } from './hold-ledger.js';
import { assertSeatsAvailable, bookableCategory, hasTakenPlace } from './seat-rules.js';

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

@Injectable()
export class BookingsService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
  ) {}

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
   * and held only for lock, update, insert, commit.
   */
  private async bookSeats(eventId: number, dto: CreateBookingDto): Promise<Booking> {
    const now = new Date();
    const event = await this.events.findOne(eventId);
    const category = bookableCategory(event, dto.ticket_category, dto.quantity, now);

    const booking = await this.transactions.run(async (manager) => {
      const locked = await lockOpenCategory(manager, category.id, this.transactions.writeLock);
      await freeOverdueSeatsIfShort(manager, locked, dto.quantity, now);
      assertSeatsAvailable(locked, dto.quantity);
      await changeSeats(manager, locked, { sold: dto.quantity });
      return insertBooking(manager, locked, {
        eventId: event.id,
        quantity: dto.quantity,
        unitPriceCents: locked.priceCents,
        customerName: dto.customer_name ?? null,
        customerEmail: dto.customer_email ?? null,
      });
    });
    return Object.assign(booking, { event, ticketCategory: category });
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
    const nextCursor = rows.length > limit && last ? encodeBookingCursor(last.id) : undefined;
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
  const booking = manager.create(Booking, {
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
  await manager.insert(Booking, booking);
  return booking;
}

/** A refused booking is counted under its error code (`sold_out`, …); anything else is `error`. */
function outcomeOf(error: unknown): BookingOutcome {
  return error instanceof DomainError ? error.code.toLowerCase() : 'error';
}

function encodeBookingCursor(id: number): string {
  return Buffer.from(JSON.stringify([id])).toString('base64url');
}

function decodeBookingCursor(cursor: string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const id = Array.isArray(decoded) && decoded.length === 1 ? (decoded[0] as unknown) : undefined;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw new ValidationFailedError(['cursor is not valid; use the one from the Link header of the previous page']);
  }
  return id;
}
