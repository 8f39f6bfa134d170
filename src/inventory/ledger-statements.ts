import { BuiltQuery } from '../database/built-query.js';
import { readBoolean, readNullableInteger } from '../database/column-values.js';
import { parseDecimalToCents } from '../common/money.js';
import { Booking, BookingStatus } from './booking.entity.js';
import { Hold, HoldStatus } from './hold.entity.js';
import { MultiRowInsert } from './multi-row-insert.js';
import { TicketCategory } from './ticket-category.entity.js';

/**
 * Every statement the seat ledger sends, written once per database by TypeORM's query builder
 * (quoting and dialect) and run with `?` placeholders: no SQL text is ever made from a value.
 */

function categoryQuery(lock: boolean): BuiltQuery {
  return new BuiltQuery((dataSource) => {
    const builder = dataSource.getRepository(TicketCategory).createQueryBuilder('category').where('category.id = :id');
    return lock ? builder.setLock('pessimistic_write') : builder;
  });
}

/** The category row, locked FOR UPDATE (MySQL) or read inside an exclusive transaction (SQLite). */
export const lockCategory = { rowLock: categoryQuery(true), exclusive: categoryQuery(false) };

/** A category as the queries above (and the events repository, with the same alias) select it. */
export function ticketCategoryFromRow(row: Record<string, unknown>): TicketCategory {
  return Object.assign(new TicketCategory(), {
    id: Number(row.category_id),
    eventId: Number(row.category_event_id),
    name: String(row.category_name),
    nameKey: String(row.category_name_key),
    priceCents: parseDecimalToCents(row.category_price as string | number),
    seatsLimit: Number(row.category_seats_limit),
    seatsSold: Number(row.category_seats_sold),
    seatsHeld: Number(row.category_seats_held),
    maxPerBooking: readNullableInteger(row.category_max_per_booking),
    salesClosed: readBoolean(row.category_sales_closed),
  });
}

/** Adds (or with negative numbers, removes) seats sold and held: the one UPDATE of the counters. */
export const addSeats = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(TicketCategory)
    .set({ seatsSold: () => 'seats_sold + :sold', seatsHeld: () => 'seats_held + :held' })
    .where('id = :id'),
);

const OVERDUE = 'hold.ticketCategoryId = :categoryId AND hold.status = :active AND hold.expiresAt <= :now';

export const overdueHeldSeats = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Hold).createQueryBuilder('hold').select('COALESCE(SUM(hold.quantity), 0)', 'seats').where(OVERDUE),
);

export const expireOverdueHolds = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(Hold).set({ status: () => ':expired' }).where(OVERDUE.replaceAll('hold.', '')),
);

/** What every ledger entry stores, in LedgerEntry's order. */
const ENTRY_COLUMNS = ['reference', 'eventId', 'ticketCategoryId', 'quantity', 'unitPriceCents', 'totalPriceCents', 'customerName', 'customerEmail', 'createdAt'] as const;

export const insertBookings = new MultiRowInsert(Booking, [...ENTRY_COLUMNS, 'status', 'cancelledAt']);

/**
 * Ids of a multi-row INSERT are read back by reference rather than derived from the first insert
 * id: MySQL 8's interleaved auto-increment does not promise consecutive ids.
 */
export const bookingIdsByReference = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Booking).createQueryBuilder('booking').select(['booking.id', 'booking.reference']).where('booking.reference IN (:...references)'),
);

export const insertHold = new MultiRowInsert(Hold, [...ENTRY_COLUMNS, 'status', 'expiresAt', 'bookingId']);

/** A hold's state re-read under its category's lock: a concurrent confirm, release or sweep may have got there first. */
export const holdState = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Hold).createQueryBuilder('hold').select(['hold.status', 'hold.expiresAt', 'hold.bookingId', 'hold.quantity']).where('hold.id = :id'),
);

export const markHoldConfirmed = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(Hold).set({ status: () => ':confirmed', bookingId: () => ':bookingId' }).where('id = :id'),
);

export const deleteHold = new BuiltQuery((dataSource) => dataSource.createQueryBuilder().delete().from(Hold).where('id = :id'));

export const bookingState = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Booking).createQueryBuilder('booking').select(['booking.status', 'booking.cancelledAt']).where('booking.id = :id'),
);

export const markBookingCancelled = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(Booking).set({ status: () => ':cancelled', cancelledAt: () => ':now' }).where('id = :id'),
);

export const confirmedSeatsOfCategory = new BuiltQuery((dataSource) =>
  dataSource
    .getRepository(Booking)
    .createQueryBuilder('booking')
    .select('COALESCE(SUM(booking.quantity), 0)', 'seats')
    .where('booking.ticketCategoryId = :categoryId AND booking.status = :confirmed'),
);

/** Gives back the seats of the category's bookings (cancelled with it), drops its holds, and stops its sales. */
export const closeCategory = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(TicketCategory)
    .set({ seatsSold: () => 'seats_sold - :returned', seatsHeld: () => '0', salesClosed: () => ':closed' })
    .where('id = :id'),
);

export const cancelEventBookings = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(Booking)
    .set({ status: () => ':cancelled', cancelledAt: () => ':now' })
    .where('event_id = :eventId AND status = :confirmed'),
);

export const releaseEventHolds = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(Hold).set({ status: () => ':released' }).where('event_id = :eventId AND status = :active'),
);

/** The fixed values the statements above take as parameters, never as SQL text. */
export const STATUS = {
  active: HoldStatus.Active,
  expired: HoldStatus.Expired,
  released: HoldStatus.Released,
  holdConfirmed: HoldStatus.Confirmed,
  confirmed: BookingStatus.Confirmed,
  cancelled: BookingStatus.Cancelled,
} as const;
