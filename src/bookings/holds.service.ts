import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventCancelledError, HoldAlreadyConfirmedError, HoldExpiredError, HoldNotFoundError } from '../common/domain-error.js';
import { findByReference } from '../common/reference.js';
import type { Environment } from '../config/environment.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventsService } from '../events/events.service.js';
import { HoldStatus, type Hold } from '../inventory/hold.entity.js';
import { SEAT_LEDGER, type SeatLedger } from '../inventory/seat-ledger.js';
import type { BookingDetails, HoldDetails } from './booking-details.js';
import { holdNews, saleNews } from './booking-news.js';
import { CodesService } from '../codes/codes.service.js';
import { BookingsService, buyerOf, redemptionOf, requestedCode, seatLine } from './bookings.service.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import { HoldsRepository } from './holds.repository.js';
import { assertOnSale, bookableLines, requestedLines } from './sales-rules.js';

/** Expired and released holds are kept this long so that confirming one answers 410/409 rather than 404. */
const EXPIRED_HOLD_RETENTION_MS = 24 * 60 * 60 * 1000;
const SWEEP_BATCH = 500;

export interface ConfirmedHold {
  booking: BookingDetails;
  /** False when the hold had already been confirmed and this is the same booking again. */
  created: boolean;
}

@Injectable()
export class HoldsService {
  private readonly ttlMs: number;

  constructor(
    private readonly holds: HoldsRepository,
    private readonly bookings: BookingsService,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    @Inject(SEAT_LEDGER) private readonly ledger: SeatLedger,
    config: ConfigService<Environment, true>,
    private readonly codes: CodesService,
  ) {
    this.ttlMs = config.get('HOLD_TTL_SECONDS', { infer: true }) * 1000;
  }

  /** The same checks and order as a booking; the seats count as held until confirmed or expired. */
  async create(eventId: number, dto: CreateBookingDto): Promise<HoldDetails> {
    const now = new Date();
    const [event, code] = await Promise.all([this.events.findOne(eventId), requestedCode(this.codes, eventId, dto)]);
    const lines = bookableLines(event, requestedLines(dto), now, code);
    const held = await this.ledger.hold({
      eventId: event.id,
      lines: lines.map(seatLine),
      buyer: buyerOf(dto),
      code: redemptionOf(event, code),
      expiresAt: new Date(now.getTime() + this.ttlMs),
    }, holdNews(event));
    return { ...held, event };
  }

  /** Moves the held seats to sold and books them at the price the hold was given. */
  async confirm(reference: string): Promise<ConfirmedHold> {
    const hold = await this.findByReference(reference);
    if (hold.status === HoldStatus.Confirmed) return { booking: await this.bookingOf(hold), created: false };
    if (hold.status === HoldStatus.Released) throw new EventCancelledError(hold.eventId);
    const now = new Date();
    if (hold.status === HoldStatus.Expired || hold.expiresAt.getTime() <= now.getTime()) throw new HoldExpiredError(hold.reference);
    const event = await this.events.findOne(hold.eventId);
    assertOnSale(event, now);
    const { bookingId, created } = await this.ledger.confirmHold(hold, saleNews(event).written);
    return { booking: await this.bookings.findById(bookingId), created };
  }

  /**
   * Frees the seats at once. A confirmed hold is a booking now and must be cancelled as one; a
   * hold let go by the event's cancellation has no seats left to free.
   */
  async release(reference: string): Promise<void> {
    const hold = await this.findByReference(reference);
    if (hold.status === HoldStatus.Confirmed) throw new HoldAlreadyConfirmedError(hold.reference);
    if (hold.status === HoldStatus.Released) return;
    await this.ledger.releaseHold(hold);
  }

  /**
   * Expires overdue holds category by category, each under its category's lock, and forgets
   * expired holds after a day. Safe to run from several instances at once.
   */
  async sweep(now = new Date()): Promise<number> {
    let released = 0;
    for (const categoryId of await this.holds.categoriesWithOverdueHolds(now, SWEEP_BATCH)) {
      released += await this.ledger.expireOverdue(categoryId, now);
    }
    const before = new Date(now.getTime() - EXPIRED_HOLD_RETENTION_MS);
    await this.transactions.run((manager) => this.holds.deleteSettledBefore(manager, before));
    return released;
  }

  private findByReference(reference: string): Promise<Hold> {
    return findByReference(reference, (normalised) => this.holds.findByReference(normalised), (input) => new HoldNotFoundError(input));
  }

  private async bookingOf(hold: Hold): Promise<BookingDetails> {
    if (hold.bookingId === null) throw new HoldNotFoundError(hold.reference);
    return this.bookings.findById(hold.bookingId);
  }
}
