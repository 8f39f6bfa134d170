import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, LessThanOrEqual, type Repository } from 'typeorm';
import {
  EventCancelledError,
  HoldAlreadyConfirmedError,
  HoldExpiredError,
  HoldNotFoundError,
} from '../common/domain-error.js';
import { generateReference, normaliseReference } from '../common/reference.js';
import type { Environment } from '../config/environment.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventsService } from '../events/events.service.js';
import { Booking } from './booking.entity.js';
import { insertBooking } from './bookings.service.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import { changeSeats, expireOverdueHolds, freeOverdueSeatsIfShort, lockCategory, lockOpenCategory } from './hold-ledger.js';
import { Hold, HoldStatus } from './hold.entity.js';
import { assertOnSale, assertSeatsAvailable, bookableCategory } from './seat-rules.js';

/** Expired and released holds are kept this long so that confirming one answers 410/409 rather than 404. */
const EXPIRED_HOLD_RETENTION_MS = 24 * 60 * 60 * 1000;
const SWEEP_BATCH = 500;

export interface ConfirmedHold {
  booking: Booking;
  /** False when the hold had already been confirmed and this is the same booking again. */
  created: boolean;
}

@Injectable()
export class HoldsService {
  private readonly ttlMs: number;

  constructor(
    @InjectRepository(Hold) private readonly holds: Repository<Hold>,
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    config: ConfigService<Environment, true>,
  ) {
    this.ttlMs = config.get('HOLD_TTL_SECONDS', { infer: true }) * 1000;
  }

  /** The same checks and order as a booking; the seats count as held until confirmed or expired. */
  async create(eventId: number, dto: CreateBookingDto): Promise<Hold> {
    const now = new Date();
    const event = await this.events.findOne(eventId);
    const category = bookableCategory(event, dto.ticket_category, dto.quantity, now);

    const hold = await this.transactions.run(async (manager) => {
      const locked = await lockOpenCategory(manager, category.id, this.transactions.writeLock);
      await freeOverdueSeatsIfShort(manager, locked, dto.quantity, now);
      assertSeatsAvailable(locked, dto.quantity);
      await changeSeats(manager, locked, { held: dto.quantity });
      const created = manager.create(Hold, {
        reference: generateReference(),
        status: HoldStatus.Active,
        eventId: event.id,
        ticketCategoryId: locked.id,
        quantity: dto.quantity,
        unitPriceCents: locked.priceCents,
        totalPriceCents: locked.priceCents * dto.quantity,
        customerName: dto.customer_name ?? null,
        customerEmail: dto.customer_email ?? null,
        expiresAt: new Date(now.getTime() + this.ttlMs),
        bookingId: null,
        createdAt: now,
      });
      await manager.insert(Hold, created);
      return created;
    });
    return Object.assign(hold, { ticketCategory: category });
  }

  /** Moves the held seats to sold and books them at the price the hold was given. */
  async confirm(reference: string): Promise<ConfirmedHold> {
    const hold = await this.findByReference(reference);
    if (hold.status === HoldStatus.Confirmed) return { booking: await this.bookingOf(hold), created: false };
    if (hold.status === HoldStatus.Released) throw new EventCancelledError(hold.eventId);
    const now = new Date();
    if (hold.status === HoldStatus.Expired || hold.expiresAt.getTime() <= now.getTime()) throw new HoldExpiredError(hold.reference);
    assertOnSale(await this.events.findOne(hold.eventId), now);

    const outcome = await this.transactions.run(async (manager): Promise<{ bookingId: number; created: boolean }> => {
      const locked = await lockOpenCategory(manager, hold.ticketCategoryId, this.transactions.writeLock);
      // Re-read under the lock: a concurrent confirm, release or sweep may have got here first.
      const current = await manager.findOneBy(Hold, { id: hold.id });
      if (!current) throw new HoldNotFoundError(hold.reference);
      if (current.status === HoldStatus.Confirmed && current.bookingId !== null) return { bookingId: current.bookingId, created: false };
      if (current.status === HoldStatus.Expired || current.expiresAt.getTime() <= Date.now()) {
        throw new HoldExpiredError(hold.reference);
      }
      await changeSeats(manager, locked, { held: -hold.quantity, sold: hold.quantity });
      const booking = await insertBooking(manager, locked, {
        reference: hold.reference,
        eventId: hold.eventId,
        quantity: hold.quantity,
        unitPriceCents: hold.unitPriceCents,
        customerName: hold.customerName,
        customerEmail: hold.customerEmail,
      });
      await manager.update(Hold, { id: hold.id }, { status: HoldStatus.Confirmed, bookingId: booking.id });
      return { bookingId: booking.id, created: true };
    });
    return { booking: await this.bookingById(outcome.bookingId), created: outcome.created };
  }

  /**
   * Frees the seats at once. A confirmed hold is a booking now and must be cancelled as one; a
   * hold let go by the event's cancellation has no seats left to free.
   */
  async release(reference: string): Promise<void> {
    const hold = await this.findByReference(reference);
    if (hold.status === HoldStatus.Confirmed) throw new HoldAlreadyConfirmedError(hold.reference);
    if (hold.status === HoldStatus.Released) return;

    await this.transactions.run(async (manager) => {
      const locked = await lockCategory(manager, hold.ticketCategoryId, this.transactions.writeLock);
      const current = await manager.findOneBy(Hold, { id: hold.id });
      if (!current) throw new HoldNotFoundError(hold.reference);
      if (current.status === HoldStatus.Confirmed) throw new HoldAlreadyConfirmedError(hold.reference);
      await manager.delete(Hold, { id: hold.id });
      if (current.status === HoldStatus.Active) await changeSeats(manager, locked, { held: -current.quantity });
    });
  }

  /**
   * Expires overdue holds category by category, each under its category's lock, and forgets
   * expired holds after a day. Safe to run from several instances at once.
   */
  async sweep(now = new Date()): Promise<number> {
    const overdue = await this.holds
      .createQueryBuilder('hold')
      .select('DISTINCT hold.ticketCategoryId', 'categoryId')
      .where({ status: HoldStatus.Active, expiresAt: LessThanOrEqual(now) })
      .limit(SWEEP_BATCH)
      .getRawMany<{ categoryId: number | string }>();
    let released = 0;
    for (const { categoryId } of overdue) {
      released += await this.transactions.run(async (manager) => {
        const locked = await lockCategory(manager, Number(categoryId), this.transactions.writeLock);
        return expireOverdueHolds(manager, locked, now);
      });
    }
    await this.transactions.run((manager) =>
      manager.delete(Hold, {
        status: In([HoldStatus.Expired, HoldStatus.Released]),
        expiresAt: LessThan(new Date(now.getTime() - EXPIRED_HOLD_RETENTION_MS)),
      }),
    );
    return released;
  }

  private async findByReference(reference: string): Promise<Hold> {
    const normalised = normaliseReference(reference);
    const hold = normalised === undefined ? null : await this.holds.findOneBy({ reference: normalised });
    if (!hold) throw new HoldNotFoundError(reference);
    return hold;
  }

  private async bookingOf(hold: Hold): Promise<Booking> {
    if (hold.bookingId === null) throw new HoldNotFoundError(hold.reference);
    return this.bookingById(hold.bookingId);
  }

  private async bookingById(id: number): Promise<Booking> {
    return this.bookings.findOneOrFail({ where: { id }, relations: { event: true, ticketCategory: true } });
  }
}
