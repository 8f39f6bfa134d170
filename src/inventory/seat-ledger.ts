import type { EntityManager } from 'typeorm';
import type { Booking } from './booking.entity.js';
import type { Hold } from './hold.entity.js';

/** The Nest provider token of the seat ledger: the adapter for the configured database. */
export const SEAT_LEDGER = Symbol('SEAT_LEDGER');

export interface Buyer {
  name: string | null;
  email: string | null;
}

/** Seats of one category of one event, for one buyer. */
export interface SeatRequest {
  eventId: number;
  categoryId: number;
  quantity: number;
  buyer: Buyer;
}

export interface HoldRequest extends SeatRequest {
  expiresAt: Date;
}

export interface ConfirmedHold {
  bookingId: number;
  /** False when the hold had already been confirmed and this is the same booking again. */
  created: boolean;
}

/** What an organiser changes on an existing category; the limit is checked against what is sold and held. */
export interface CategoryTerms {
  categoryId: number;
  priceCents?: number;
  seatsLimit?: number;
  maxPerBooking?: number | null;
}

/**
 * The seat ledger: the only code that changes a category's seat counters, and the writer of the
 * entries those counters sum up (bookings, holds). Every operation locks the categories it changes
 * (several in ascending id order, so two operations never deadlock), checks, then writes, in one
 * transaction. Operations for buyers run a transaction of their own; those for organisers take
 * part in the caller's transaction (`manager`), so an event change commits as one.
 *
 * Adapters: MySQL (row locks, pipelined round trips, coalesced bookings) and SQLite (serialised
 * transactions). See docs/ARCHITECTURE.md.
 */
export interface SeatLedger {
  /** Sells the seats: a confirmed booking priced from the locked row. */
  book(request: SeatRequest): Promise<Booking>;
  /** Keeps the seats for the buyer until `expiresAt`. */
  hold(request: HoldRequest): Promise<Hold>;
  /** Moves the hold's seats from held to sold, booked at the hold's price; the booking keeps its reference. */
  confirmHold(hold: Hold): Promise<ConfirmedHold>;
  /** Frees the hold's seats at once. */
  releaseHold(hold: Hold): Promise<void>;
  /** Cancels the booking and returns its seats; a booking already cancelled is answered as it is. */
  returnSeats(booking: Booking): Promise<Booking>;
  /** Expires the category's overdue holds and returns their seats; answers how many seats came back. */
  expireOverdue(categoryId: number, now: Date): Promise<number>;
  /** Changes categories' price, limit and per-booking maximum; a limit never goes below the seats sold and held. */
  changeTerms(manager: EntityManager, changes: CategoryTerms[], now: Date): Promise<void>;
  /** The event is cancelled: its bookings are cancelled, its holds released, and its categories sell nothing more. */
  closeSales(manager: EntityManager, eventId: number, categoryIds: number[], now: Date): Promise<void>;
}
