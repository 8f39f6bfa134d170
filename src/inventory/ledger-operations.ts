import type { EntityManager } from 'typeorm';
import { EventCancelledError, HoldAlreadyConfirmedError, HoldExpiredError, HoldNotFoundError, SeatsLimitBelowSoldError } from '../common/domain-error.js';
import { generateReference } from '../common/reference.js';
import { readDate, readNullableDate, readNullableInteger } from '../database/column-values.js';
import { Booking, BookingStatus } from './booking.entity.js';
import { Hold, HoldStatus } from './hold.entity.js';
import type { LedgerTransaction } from './ledger-transaction.js';
import {
  addSeats,
  bookingState,
  cancelEventBookings,
  closeCategory,
  confirmedSeatsOfCategory,
  deleteHold,
  expireOverdueHolds as expireOverdueHoldsStatement,
  holdState,
  insertBookings,
  insertHold,
  lockCategory as lockCategoryStatement,
  markBookingCancelled,
  markHoldConfirmed,
  overdueHeldSeats,
  releaseEventHolds,
  STATUS,
  ticketCategoryFromRow,
} from './ledger-statements.js';
import { insertedId } from './multi-row-insert.js';
import type { CategoryTerms, ConfirmedHold, HoldRequest, SeatRequest } from './seat-ledger.js';
import { assertSeatsAvailable } from './seat-rules.js';
import { seatsLeft, TicketCategory } from './ticket-category.entity.js';

/**
 * The ledger's operations, written once for both adapters against a LedgerTransaction. Each runs
 * inside a transaction whose first statement locked the category row; holding that lock is what
 * makes each count-then-write safe.
 */

export async function lockCategory(tx: LedgerTransaction, categoryId: number): Promise<TicketCategory> {
  const statement = tx.locksRows ? lockCategoryStatement.rowLock : lockCategoryStatement.exclusive;
  const [row] = await tx.rows(statement.statement(tx.dataSource, { id: categoryId }));
  if (!row) throw new Error(`Ticket category ${categoryId} vanished while it was being booked`);
  return ticketCategoryFromRow(row);
}

/** Locks several categories in ascending id order, the one order every operation takes them in. */
export async function lockCategories(tx: LedgerTransaction, categoryIds: number[]): Promise<TicketCategory[]> {
  const locked: TicketCategory[] = [];
  for (const id of [...new Set(categoryIds)].sort((a, b) => a - b)) locked.push(await lockCategory(tx, id));
  return locked;
}

/** Locks a category that is about to sell or hold seats; a cancellation that got there first wins. */
export async function lockOpenCategory(tx: LedgerTransaction, categoryId: number): Promise<TicketCategory> {
  const category = await lockCategory(tx, categoryId);
  if (category.salesClosed) throw new EventCancelledError(category.eventId);
  return category;
}

/**
 * Turns the category's overdue active holds into expired ones and gives their seats back.
 * Called by the sweep, and by a booking or hold that would not fit while overdue holds still
 * count: an expired hold never blocks a buyer, whether or not the sweep has run yet.
 */
export async function expireOverdueHolds(tx: LedgerTransaction, category: TicketCategory, now: Date): Promise<number> {
  const overdue = { categoryId: category.id, active: STATUS.active, now };
  const [row] = await tx.rows(overdueHeldSeats.statement(tx.dataSource, overdue));
  const seats = Number(row?.seats ?? 0);
  if (seats === 0) return 0;
  await tx.rows(expireOverdueHoldsStatement.statement(tx.dataSource, { ...overdue, expired: STATUS.expired }));
  await tx.rows(addSeats.statement(tx.dataSource, seatChange(category, { held: -seats })));
  countChange(category, { held: -seats });
  return seats;
}

/** Makes room by expiring overdue holds only when the request would not fit otherwise. */
export async function freeOverdueSeatsIfShort(tx: LedgerTransaction, category: TicketCategory, quantity: number, now: Date): Promise<void> {
  if (seatsLeft(category) < quantity && category.seatsHeld > 0) await expireOverdueHolds(tx, category, now);
}

export interface SeatChange {
  sold?: number;
  held?: number;
}

/** One UPDATE for both counters, sent with the commit; the in-memory copy follows so later checks see the new counts. */
export function changeSeats(tx: LedgerTransaction, category: TicketCategory, change: SeatChange): void {
  void tx.write(addSeats.statement(tx.dataSource, seatChange(category, change)));
  countChange(category, change);
}

function seatChange(category: TicketCategory, { sold = 0, held = 0 }: SeatChange): Record<string, unknown> {
  return { sold: Math.trunc(sold), held: Math.trunc(held), id: category.id };
}

function countChange(category: TicketCategory, { sold = 0, held = 0 }: SeatChange): void {
  category.seatsSold += sold;
  category.seatsHeld += held;
}

/** A confirmed booking of seats just counted as sold on the locked category, priced from that row. */
export function newBooking(category: TicketCategory, request: SeatRequest, reference = generateReference(), unitPriceCents = category.priceCents): Booking {
  return Object.assign(new Booking(), {
    reference,
    status: BookingStatus.Confirmed,
    eventId: request.eventId,
    ticketCategoryId: category.id,
    quantity: request.quantity,
    unitPriceCents,
    totalPriceCents: unitPriceCents * request.quantity,
    customerName: request.buyer.name,
    customerEmail: request.buyer.email,
    createdAt: new Date(),
    cancelledAt: null,
  });
}

/** A booking whose id the database has not answered yet: sent with the commit, known after it. */
export interface PendingBooking {
  booking: Booking;
  inserted: Promise<unknown>;
}

/** One request, one transaction: lock, check, then the counter update and the insert sent with the commit. */
export async function sellSeats(tx: LedgerTransaction, request: SeatRequest): Promise<PendingBooking> {
  return sellOnLockedRow(tx, await lockOpenCategory(tx, request.categoryId), request);
}

export async function sellOnLockedRow(tx: LedgerTransaction, locked: TicketCategory, request: SeatRequest): Promise<PendingBooking> {
  await freeOverdueSeatsIfShort(tx, locked, request.quantity, new Date());
  assertSeatsAvailable(locked, request.quantity);
  changeSeats(tx, locked, { sold: request.quantity });
  const booking = newBooking(locked, request);
  return { booking, inserted: tx.write(insertBookings.statement(tx.dataSource, [booking])) };
}

/** Once the transaction has committed: the booking with the id the database gave it. */
export async function completed({ booking, inserted }: PendingBooking): Promise<Booking> {
  booking.id = insertedId(await inserted);
  return booking;
}

export async function holdSeats(tx: LedgerTransaction, request: HoldRequest): Promise<Hold> {
  const now = new Date();
  const locked = await lockOpenCategory(tx, request.categoryId);
  await freeOverdueSeatsIfShort(tx, locked, request.quantity, now);
  assertSeatsAvailable(locked, request.quantity);
  changeSeats(tx, locked, { held: request.quantity });
  const hold = Object.assign(new Hold(), {
    reference: generateReference(),
    status: HoldStatus.Active,
    eventId: request.eventId,
    ticketCategoryId: locked.id,
    quantity: request.quantity,
    unitPriceCents: locked.priceCents,
    totalPriceCents: locked.priceCents * request.quantity,
    customerName: request.buyer.name,
    customerEmail: request.buyer.email,
    expiresAt: request.expiresAt,
    bookingId: null,
    createdAt: now,
  });
  hold.id = insertedId(await tx.rows(insertHold.statement(tx.dataSource, [hold])));
  return hold;
}

interface HoldState {
  status: HoldStatus;
  expiresAt: Date;
  bookingId: number | null;
}

async function currentHold(tx: LedgerTransaction, hold: Hold): Promise<HoldState> {
  const [row] = await tx.rows(holdState.statement(tx.dataSource, { id: hold.id }));
  if (!row) throw new HoldNotFoundError(hold.reference);
  return { status: row.hold_status as HoldStatus, expiresAt: readDate(row.hold_expires_at), bookingId: readNullableInteger(row.hold_booking_id) };
}

export async function confirmHold(tx: LedgerTransaction, hold: Hold): Promise<ConfirmedHold> {
  const locked = await lockOpenCategory(tx, hold.ticketCategoryId);
  const current = await currentHold(tx, hold);
  if (current.status === HoldStatus.Confirmed && current.bookingId !== null) return { bookingId: current.bookingId, created: false };
  if (current.status === HoldStatus.Expired || current.expiresAt.getTime() <= Date.now()) throw new HoldExpiredError(hold.reference);
  changeSeats(tx, locked, { held: -hold.quantity, sold: hold.quantity });
  const booking = newBooking(locked, { eventId: hold.eventId, categoryId: locked.id, quantity: hold.quantity, buyer: { name: hold.customerName, email: hold.customerEmail } }, hold.reference, hold.unitPriceCents);
  const bookingId = insertedId(await tx.rows(insertBookings.statement(tx.dataSource, [booking])));
  void tx.write(markHoldConfirmed.statement(tx.dataSource, { id: hold.id, bookingId, confirmed: STATUS.holdConfirmed }));
  return { bookingId, created: true };
}

export async function releaseHold(tx: LedgerTransaction, hold: Hold): Promise<void> {
  const locked = await lockCategory(tx, hold.ticketCategoryId);
  const current = await currentHold(tx, hold);
  if (current.status === HoldStatus.Confirmed) throw new HoldAlreadyConfirmedError(hold.reference);
  void tx.write(deleteHold.statement(tx.dataSource, { id: hold.id }));
  if (current.status === HoldStatus.Active) changeSeats(tx, locked, { held: -hold.quantity });
}

export async function returnSeats(tx: LedgerTransaction, booking: Booking): Promise<Booking> {
  const locked = await lockCategory(tx, booking.ticketCategoryId);
  const [row] = await tx.rows(bookingState.statement(tx.dataSource, { id: booking.id }));
  if (row?.booking_status === BookingStatus.Cancelled) {
    return Object.assign(booking, { status: BookingStatus.Cancelled, cancelledAt: readNullableDate(row.booking_cancelled_at) });
  }
  const now = new Date();
  void tx.write(markBookingCancelled.statement(tx.dataSource, { id: booking.id, cancelled: STATUS.cancelled, now }));
  changeSeats(tx, locked, { sold: -booking.quantity });
  return Object.assign(booking, { status: BookingStatus.Cancelled, cancelledAt: now });
}

export async function expireOverdue(tx: LedgerTransaction, categoryId: number, now: Date): Promise<number> {
  return expireOverdueHolds(tx, await lockCategory(tx, categoryId), now);
}

/**
 * Changes categories in id order under their locks, so a new seats_limit is checked against the
 * seats sold and held at that moment and no booking can slip past it.
 */
export async function changeTerms(tx: LedgerTransaction, manager: EntityManager, changes: CategoryTerms[], now: Date): Promise<void> {
  const byId = new Map(changes.map((change) => [change.categoryId, change]));
  for (const locked of await lockCategories(tx, [...byId.keys()])) {
    const change = byId.get(locked.id) as CategoryTerms;
    if (change.seatsLimit !== undefined && change.seatsLimit < locked.seatsSold + locked.seatsHeld) {
      await expireOverdueHolds(tx, locked, now);
      const taken = locked.seatsSold + locked.seatsHeld;
      if (change.seatsLimit < taken) throw new SeatsLimitBelowSoldError(locked.name, taken);
    }
    const values = {
      ...(change.priceCents !== undefined && { priceCents: change.priceCents }),
      ...(change.seatsLimit !== undefined && { seatsLimit: change.seatsLimit }),
      ...(change.maxPerBooking !== undefined && { maxPerBooking: change.maxPerBooking }),
    };
    if (Object.keys(values).length > 0) await manager.update(TicketCategory, { id: locked.id }, values);
  }
}

/**
 * Every category is locked first, so no booking can commit in between; seats_sold falls back to
 * what was sold elsewhere (the initial seats_sold), holds are dropped and sales stop for good.
 */
export async function closeSales(tx: LedgerTransaction, eventId: number, categoryIds: number[], now: Date): Promise<void> {
  for (const locked of await lockCategories(tx, categoryIds)) {
    const [row] = await tx.rows(confirmedSeatsOfCategory.statement(tx.dataSource, { categoryId: locked.id, confirmed: STATUS.confirmed }));
    await tx.rows(closeCategory.statement(tx.dataSource, { id: locked.id, returned: Number(row?.seats ?? 0), closed: true }));
  }
  await tx.rows(cancelEventBookings.statement(tx.dataSource, { eventId, confirmed: STATUS.confirmed, cancelled: STATUS.cancelled, now }));
  await tx.rows(releaseEventHolds.statement(tx.dataSource, { eventId, active: STATUS.active, released: STATUS.released }));
}
