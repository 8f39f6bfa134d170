import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CodesService } from '../codes/codes.service.js';
import { BookingNotFoundError, DomainError, EventInPastError } from '../common/domain-error.js';
import { CoalescedReads } from '../common/coalesced-reads.js';
import { decodeIdCursor, pageOf } from '../common/page-cursor.js';
import { findByReference } from '../common/reference.js';
import type { Environment } from '../config/environment.js';
import { DEFAULT_PAGE_SIZE } from '../events/dto/list-events.query.js';
import { hasTakenPlace, type Event } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { BookingStatus, type Booking } from '../inventory/booking.entity.js';
import { SEAT_LEDGER, type CodeRedemption, type SeatLedger, type SeatLine } from '../inventory/seat-ledger.js';
import { MetricsService, type BookingOutcome } from '../metrics/metrics.service.js';
import type { BookingDetails } from './booking-details.js';
import { cancelledNews, saleNews } from './booking-news.js';
import { BookingsRepository } from './bookings.repository.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import type { ListBookingsQuery } from './dto/list-bookings.query.js';
import { bookableLines, requestedLines, type RequestedCode } from './sales-rules.js';

export interface BookingPage {
  bookings: Omit<BookingDetails, 'tickets'>[];
  nextCursor: string | undefined;
  limit: number;
}

@Injectable()
export class BookingsService {
  /**
   * With coalescing on, buyers of one event who arrive together validate against one shared read
   * of it (see CoalescedReads); the seats themselves are decided under the categories' locks.
   */
  private readonly eventReads: CoalescedReads<number, Event> | undefined;

  constructor(
    private readonly bookings: BookingsRepository,
    private readonly events: EventsService,
    @Inject(SEAT_LEDGER) private readonly ledger: SeatLedger,
    private readonly metrics: MetricsService,
    config: ConfigService<Environment, true>,
    private readonly codes: CodesService,
  ) {
    const coalescing = config.get('BOOKING_COALESCING', { infer: true }) === 'on';
    this.eventReads = coalescing ? new CoalescedReads((eventId) => this.events.findOne(eventId)) : undefined;
  }

  async book(eventId: number, dto: CreateBookingDto): Promise<BookingDetails> {
    try {
      const booking = await this.bookSeats(eventId, dto);
      this.metrics.recordBooking('created');
      return booking;
    } catch (error) {
      this.metrics.recordBooking(outcomeOf(error));
      throw error;
    }
  }

  /** Everything that needs no lock is read and validated first; the ledger locks the categories (then the code) last. */
  private async bookSeats(eventId: number, dto: CreateBookingDto): Promise<BookingDetails> {
    const [event, code] = await Promise.all([this.eventReads ? this.eventReads.read(eventId) : this.events.findOne(eventId), requestedCode(this.codes, eventId, dto)]);
    const lines = bookableLines(event, requestedLines(dto), new Date(), code);
    const sale = await this.ledger.book({ eventId: event.id, lines: lines.map(seatLine), buyer: buyerOf(dto), code: redemptionOf(event, code) }, saleNews(event));
    return { ...sale, event };
  }

  async findByReference(reference: string): Promise<BookingDetails> {
    const booking = await findByReference(reference, (normalised) => this.bookings.findByReference(normalised), (input) => new BookingNotFoundError(input));
    return this.detailsOf(booking);
  }

  async findById(id: number): Promise<BookingDetails> {
    return this.detailsOf(await this.bookings.findById(id));
  }

  /** An owner's view of an event's bookings, oldest first, keyset-paginated by id. */
  async listForEvent(eventId: number, organizerId: number, query: ListBookingsQuery): Promise<BookingPage> {
    const event = await this.events.findOwned(eventId, organizerId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.cursor === undefined ? 0 : decodeIdCursor(query.cursor);
    const { items, nextCursor } = pageOf(await this.bookings.findForEvent(eventId, afterId, limit, query.status), limit, (booking) => booking.id);
    const lines = await this.bookings.linesOf(items.map((booking) => booking.reference));
    const bookings = items.map((booking) => ({ booking, event, lines: lines.get(booking.reference) ?? [] }));
    return { bookings, nextCursor, limit };
  }

  /** Cancelling twice answers the same cancelled booking; seats return exactly once. */
  async cancel(reference: string): Promise<BookingDetails> {
    const details = await this.findByReference(reference);
    if (details.booking.status === BookingStatus.Cancelled) return details;
    if (hasTakenPlace(details.event, new Date())) throw new EventInPastError(details.booking.eventId);
    await this.ledger.returnSeats(details.booking, cancelledNews(details.event, details.lines));
    return this.detailsOf(details.booking);
  }

  private async detailsOf(booking: Booking): Promise<BookingDetails> {
    const [event, lines, tickets] = await Promise.all([
      this.events.findOne(booking.eventId),
      this.bookings.linesOf([booking.reference]),
      this.bookings.ticketsOf(booking.reference),
    ]);
    return { booking, event, lines: lines.get(booking.reference) ?? [], tickets };
  }
}

/** The code the request names, looked up while the event is read; undefined without one. */
export async function requestedCode(codes: CodesService, eventId: number, dto: CreateBookingDto): Promise<RequestedCode | undefined> {
  if (dto.code === undefined) return undefined;
  return { input: dto.code, code: await codes.findForRedemption(eventId, dto.code) };
}

/** What the ledger takes of a checked code. */
export function redemptionOf(event: Event, requested: RequestedCode | undefined): CodeRedemption | undefined {
  return requested?.code && { codeId: requested.code.id, currency: event.currency };
}

/** What the ledger takes of a checked line. */
export function seatLine({ categoryId, quantity, attendeeNames }: SeatLine): SeatLine {
  return { categoryId, quantity, attendeeNames };
}

export function buyerOf(dto: CreateBookingDto): { name: string | null; email: string | null } {
  return { name: dto.customer_name ?? null, email: dto.customer_email ?? null };
}

/** A refused booking is counted under its error code (`sold_out`, …); anything else is `error`. */
function outcomeOf(error: unknown): BookingOutcome {
  return error instanceof DomainError ? error.code.toLowerCase() : 'error';
}
