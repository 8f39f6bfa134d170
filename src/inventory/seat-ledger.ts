import type { EntityManager } from 'typeorm';
import type { Announcement, BookingAnnouncement } from '../outbox/announcements.js';
import type { Booking } from './booking.entity.js';
import type { Hold } from './hold.entity.js';
import type { OrderLine } from './order-line.entity.js';
import type { TicketCategory } from './ticket-category.entity.js';
import type { Ticket } from './ticket.entity.js';
import type { WaitlistEntry } from './waitlist-entry.entity.js';

/** The Nest provider token of the seat ledger: the adapter for the configured database. */
export const SEAT_LEDGER = Symbol('SEAT_LEDGER');

export interface Buyer {
  name: string | null;
  email: string | null;
}

/** Seats of one category of an order, with the names their tickets carry (as many as given, in order). */
export interface SeatLine {
  categoryId: number;
  quantity: number;
  attendeeNames: string[];
}

/** A discount or access code an order uses: checked, counted and priced on its locked row. */
export interface CodeRedemption {
  codeId: number;
  /** The event's currency: a percentage is taken in whole minor units of it. */
  currency: string;
}

/** Seats of one or more categories (each at most once) of one event, for one buyer: all or nothing. */
export interface SeatOrder {
  eventId: number;
  lines: SeatLine[];
  buyer: Buyer;
  /** Locked after the categories; the order takes one of its uses, or fails. */
  code?: CodeRedemption;
}

export interface HoldOrder extends SeatOrder {
  expiresAt: Date;
}

/** A confirmed booking with its lines and a ticket for every seat. */
export interface Sale {
  booking: Booking;
  lines: OrderLine[];
  tickets: Ticket[];
}

export interface HeldOrder {
  hold: Hold;
  lines: OrderLine[];
}

export interface ConfirmedHold {
  bookingId: number;
  /** False when the hold had already been confirmed and this is the same booking again. */
  created: boolean;
}

/**
 * What the caller announces of an order, rendered from what the ledger wrote, inside its
 * transaction: the ledger knows the rows, the caller the JSON its API answers for them.
 */
export interface OrderNews<Entry, Message extends Announcement = Announcement> {
  /** `booking.confirmed` of a sale, `hold.created` of a hold. */
  written: (entry: Entry) => Message;
  /** `category.sold_out`: the order took the category's last seat (its counters as locked, after the order). */
  soldOut: (category: TicketCategory) => Announcement;
}

/** A buyer to put in line for seats of a category. */
export interface WaitlistRequest {
  eventId: number;
  categoryId: number;
  quantity: number;
  customerEmail: string;
  customerName: string | null;
}

export interface WaitlistPlace {
  entry: WaitlistEntry;
  /** 1 for the first of those waiting in the category. */
  position: number;
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
 * entries those counters sum up (bookings, holds, their lines) and of the tickets sold. Every operation locks the categories it changes
 * (several in ascending id order, so two operations never deadlock), then the codes whose uses it
 * changes (also in id order), checks, then writes, in one transaction. Operations for buyers run a transaction of their own; those for organisers take
 * part in the caller's transaction (`manager`), so an event change commits as one.
 *
 * Adapters: MySQL (row locks, pipelined round trips, coalesced bookings) and SQLite (serialised
 * transactions). See docs/ARCHITECTURE.md.
 *
 * Every change a buyer or the clock makes is announced in its own transaction (the outbox, see
 * src/outbox): booking.confirmed, hold.created and category.sold_out as the caller's news renders
 * them, hold.released and hold.expired from the hold's `hold.created` message, booking.cancelled
 * as the caller renders it. An organiser's change is announced by the organiser's own transaction.
 *
 * Every operation that frees seats of a category — a cancellation, a release, an expiry, a raised
 * limit, a withdrawn offer — offers them to the category's waiting list before it commits, under
 * the same lock (waitlist-offers.ts): in arrival order, each entry whose quantity fits. An offer is
 * a hold, announced as `waitlist.offered`; its expiry as `waitlist.expired`.
 */
export interface SeatLedger {
  /** Sells every line's seats, or none: a confirmed booking priced from the locked rows, a ticket per seat. */
  book(order: SeatOrder, news: OrderNews<Sale, BookingAnnouncement>): Promise<Sale>;
  /** Keeps every line's seats for the buyer until `expiresAt`, or none. */
  hold(order: HoldOrder, news: OrderNews<HeldOrder>): Promise<HeldOrder>;
  /** Moves the hold's seats from held to sold, booked at the hold's prices with a ticket per seat; the booking keeps its reference. */
  confirmHold(hold: Hold, news: (sale: Sale) => Announcement): Promise<ConfirmedHold>;
  /** Frees the hold's seats at once, and gives its code's use back. */
  releaseHold(hold: Hold): Promise<void>;
  /** Cancels the booking and its tickets and returns its seats and its code's use; a booking already cancelled is answered as it is. */
  returnSeats(booking: Booking, news: (cancelled: Booking, tickets: Ticket[]) => Announcement): Promise<Booking>;
  /** Expires the category's overdue holds and returns their seats and codes' uses; answers how many seats came back. */
  expireOverdue(categoryId: number, now: Date): Promise<number>;
  /** Changes categories' price, limit and per-booking maximum; a limit never goes below the seats sold and held. */
  changeTerms(manager: EntityManager, changes: CategoryTerms[], now: Date): Promise<void>;
  /** The event is cancelled: its bookings and tickets are cancelled, its holds released, its codes' uses returned, its waiting lists closed, and its categories sell nothing more. */
  closeSales(manager: EntityManager, eventId: number, categoryIds: number[], now: Date): Promise<void>;
  /**
   * Admits the ticket at the door, as it was read before (valid, not yet in), once: answers whether
   * this call admitted it, and announces `ticket.checked_in` only if it did.
   */
  checkIn(ticket: Ticket, at: Date, news: (admitted: Ticket) => Announcement): Promise<boolean>;
  /** Puts the buyer in line, unless enough seats are free now (SEATS_AVAILABLE: book instead). */
  joinWaitlist(request: WaitlistRequest): Promise<WaitlistPlace>;
  /** Takes the entry out of line, letting its outstanding offer go to the next; answers the entry as it is now. */
  withdrawFromWaitlist(entry: WaitlistEntry): Promise<WaitlistEntry>;
}
