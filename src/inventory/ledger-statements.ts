import { BuiltQuery } from '../database/built-query.js';
import { readBoolean, readDate, readNullableDate, readNullableInteger, readNullableString } from '../database/column-values.js';
import { parseDecimalToCents } from '../common/money.js';
import { Booking, BookingStatus } from './booking.entity.js';
import { CodeKind, EventCode } from './event-code.entity.js';
import { Hold, HoldStatus } from './hold.entity.js';
import { MultiRowInsert } from '../database/multi-row-insert.js';
import { LineState, OrderLine } from './order-line.entity.js';
import { TicketCategory } from './ticket-category.entity.js';
import { Ticket, TicketStatus } from './ticket.entity.js';

/**
 * Every statement the seat ledger sends, written once per database by TypeORM's query builder
 * (quoting and dialect) and run with `?` placeholders: no SQL text is ever made from a value.
 * Fixed values (states, statuses) are parameters too, named after them (see STATUS).
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
    salesStart: readNullableDate(row.category_sales_start),
    salesEnd: readNullableDate(row.category_sales_end),
    hidden: readBoolean(row.category_hidden),
  });
}

function codeQuery(lock: boolean): BuiltQuery {
  return new BuiltQuery((dataSource) => {
    const builder = dataSource.getRepository(EventCode).createQueryBuilder('code').where('code.id = :id');
    return lock ? builder.setLock('pessimistic_write') : builder;
  });
}

/** A code's row, locked FOR UPDATE (MySQL) or read inside an exclusive transaction (SQLite): always after the categories'. */
export const lockCode = { rowLock: codeQuery(true), exclusive: codeQuery(false) };

/** A code as the queries above (and the codes repository, with the same alias) select it. */
export function eventCodeFromRow(row: Record<string, unknown>): EventCode {
  return Object.assign(new EventCode(), {
    id: Number(row.code_id),
    eventId: Number(row.code_event_id),
    code: String(row.code_code),
    kind: row.code_kind as CodeKind,
    discountPercent: readNullableInteger(row.code_discount_percent),
    discountAmountCents: row.code_discount_amount === null || row.code_discount_amount === undefined ? null : parseDecimalToCents(row.code_discount_amount as string | number),
    maxUses: readNullableInteger(row.code_max_uses),
    uses: Number(row.code_uses),
    validFrom: readNullableDate(row.code_valid_from),
    validUntil: readNullableDate(row.code_valid_until),
    ticketCategoryIds: typeof row.code_ticket_category_ids === 'string' ? (JSON.parse(row.code_ticket_category_ids) as number[]) : null,
    disabledAt: readNullableDate(row.code_disabled_at),
    createdAt: readNullableDate(row.code_created_at) as Date,
  });
}

/** Adds (or with a negative number, gives back) uses of a code: the one UPDATE of its counter. */
export const addCodeUses = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(EventCode)
    .set({ uses: () => 'uses + :uses' })
    .where('id = :id'),
);

/** The event is cancelled: every booking and hold that used its codes is gone. */
export const releaseEventCodeUses = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(EventCode).set({ uses: () => '0' }).where('event_id = :eventId'),
);

/** Adds (or with negative numbers, removes) seats sold and held: the one UPDATE of the counters. */
export const addSeats = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(TicketCategory)
    .set({ seatsSold: () => 'seats_sold + :sold', seatsHeld: () => 'seats_held + :held' })
    .where('id = :id'),
);

/** Lines of the category still counted as held whose hold's time ran out (the hold may already be marked expired). */
const OVERDUE_LINES = 'ticket_category_id = :categoryId AND state = :held AND reference IN (SELECT overdue.reference FROM holds overdue WHERE overdue.expires_at <= :now)';

export const overdueHeldSeats = new BuiltQuery((dataSource) =>
  dataSource.getRepository(OrderLine).createQueryBuilder('line').select('COALESCE(SUM(line.quantity), 0)', 'seats').where(OVERDUE_LINES),
);

export const returnOverdueLines = new BuiltQuery((dataSource) => dataSource.createQueryBuilder().update(OrderLine).set({ state: () => ':returned' }).where(OVERDUE_LINES));

function overdueHoldsQuery(lock: boolean): BuiltQuery {
  return new BuiltQuery((dataSource) => {
    const builder = dataSource
      .getRepository(Hold)
      .createQueryBuilder('hold')
      .select(['hold.id', 'hold.reference', 'hold.codeId'])
      .where('hold.status = :active AND hold.expiresAt <= :now')
      .andWhere('hold.reference IN (SELECT mine.reference FROM order_lines mine WHERE mine.ticket_category_id = :categoryId)');
    return lock ? builder.setLock('pessimistic_write') : builder;
  });
}

/**
 * The holds about to expire (below), each hold's row locked: another category's transaction may
 * be expiring the same hold, and only the one that turns it from active announces its expiry and
 * gives its code's use back.
 */
export const overdueHolds = { rowLock: overdueHoldsQuery(true), exclusive: overdueHoldsQuery(false) };

/** Holds with a line in the category that are past their time: expired as a whole, whichever category notices first. */
export const expireOverdueHolds = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(Hold)
    .set({ status: () => ':expired' })
    .where('status = :active AND expires_at <= :now AND reference IN (SELECT mine.reference FROM order_lines mine WHERE mine.ticket_category_id = :categoryId)'),
);

/** What every ledger entry stores, in LedgerEntry's order. */
const ENTRY_COLUMNS = ['reference', 'eventId', 'ticketCategoryId', 'quantity', 'unitPriceCents', 'totalPriceCents', 'customerName', 'customerEmail', 'createdAt', 'codeId', 'code', 'discountTotalCents'] as const;

export const insertBookings = new MultiRowInsert(Booking, [...ENTRY_COLUMNS, 'status', 'cancelledAt']);

export const insertHold = new MultiRowInsert(Hold, [...ENTRY_COLUMNS, 'status', 'expiresAt', 'bookingId']);

export const insertLines = new MultiRowInsert(OrderLine, ['reference', 'eventId', 'ticketCategoryId', 'position', 'quantity', 'unitPriceCents', 'totalPriceCents', 'attendeeNames', 'state', 'originalUnitPriceCents']);

export const insertTickets = new MultiRowInsert(Ticket, ['code', 'reference', 'eventId', 'ticketCategoryId', 'attendeeName', 'status', 'checkedInAt', 'createdAt']);

/**
 * Ids of a multi-row INSERT are read back by reference rather than derived from the first insert
 * id: MySQL 8's interleaved auto-increment does not promise consecutive ids.
 */
export const bookingIdsByReference = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Booking).createQueryBuilder('booking').select(['booking.id', 'booking.reference']).where('booking.reference IN (:...references)'),
);

/** An order's lines, in the order the buyer sent them. */
export const linesOf = new BuiltQuery((dataSource) =>
  dataSource.getRepository(OrderLine).createQueryBuilder('line').where('line.reference = :reference').orderBy('line.position', 'ASC'),
);

/** An order's tickets, in the order they were issued. */
export const ticketsOf = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Ticket).createQueryBuilder('ticket').where('ticket.reference = :reference').orderBy('ticket.id', 'ASC'),
);

/** A ticket as a statement on the tickets table aliased `ticket` selects it. */
export function ticketFromRow(row: Record<string, unknown>): Ticket {
  return Object.assign(new Ticket(), {
    id: Number(row.ticket_id),
    code: String(row.ticket_code),
    reference: String(row.ticket_reference),
    eventId: Number(row.ticket_event_id),
    ticketCategoryId: Number(row.ticket_ticket_category_id),
    attendeeName: readNullableString(row.ticket_attendee_name),
    status: row.ticket_status as TicketStatus,
    checkedInAt: readNullableDate(row.ticket_checked_in_at),
    createdAt: readDate(row.ticket_created_at),
  });
}

export function orderLineFromRow(row: Record<string, unknown>): OrderLine {
  return Object.assign(new OrderLine(), {
    id: Number(row.line_id),
    reference: String(row.line_reference),
    eventId: Number(row.line_event_id),
    ticketCategoryId: Number(row.line_ticket_category_id),
    position: Number(row.line_position),
    quantity: Number(row.line_quantity),
    unitPriceCents: parseDecimalToCents(row.line_unit_price as string | number),
    totalPriceCents: parseDecimalToCents(row.line_total_price as string | number),
    originalUnitPriceCents: parseDecimalToCents(row.line_original_unit_price as string | number),
    attendeeNames: typeof row.line_attendee_names === 'string' ? (JSON.parse(row.line_attendee_names) as string[]) : null,
    state: row.line_state as LineState,
  });
}

/** Moves the order's lines from one state to another (held → sold, sold → returned, …). */
export const moveLines = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(OrderLine).set({ state: () => ':to' }).where('reference = :reference AND state = :from'),
);

export const deleteLines = new BuiltQuery((dataSource) => dataSource.createQueryBuilder().delete().from(OrderLine).where('reference = :reference'));

/** A hold's state re-read under its categories' locks: a concurrent confirm, release or sweep may have got there first. */
export const holdState = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Hold).createQueryBuilder('hold').select(['hold.status', 'hold.expiresAt', 'hold.bookingId']).where('hold.id = :id'),
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

export const cancelTickets = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(Ticket).set({ status: () => ':void' }).where('reference = :reference AND status = :valid'),
);

/** Admits a valid ticket of the event at the door, unless it already was: the one statement that decides. */
export const checkInTicket = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(Ticket).set({ checkedInAt: () => ':at' }).where('event_id = :eventId AND code = :code AND status = :valid AND checked_in_at IS NULL'),
);

export const soldSeatsOfCategory = new BuiltQuery((dataSource) =>
  dataSource
    .getRepository(OrderLine)
    .createQueryBuilder('line')
    .select('COALESCE(SUM(line.quantity), 0)', 'seats')
    .where('line.ticketCategoryId = :categoryId AND line.state = :sold'),
);

/** Gives back the seats of the category's bookings (cancelled with it), drops its holds, and stops its sales. */
export const closeCategory = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(TicketCategory)
    .set({ seatsSold: () => 'seats_sold - :returned', seatsHeld: () => '0', salesClosed: () => ':closed' })
    .where('id = :id'),
);

export const returnEventLines = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(OrderLine).set({ state: () => ':returned' }).where('event_id = :eventId AND state IN (:held, :sold)'),
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

export const cancelEventTickets = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(Ticket).set({ status: () => ':void' }).where('event_id = :eventId AND status = :valid'),
);

/** The fixed values the statements above take as parameters, never as SQL text. */
export const STATUS = {
  active: HoldStatus.Active,
  expired: HoldStatus.Expired,
  released: HoldStatus.Released,
  holdConfirmed: HoldStatus.Confirmed,
  confirmed: BookingStatus.Confirmed,
  cancelled: BookingStatus.Cancelled,
  held: LineState.Held,
  sold: LineState.Sold,
  returned: LineState.Returned,
  valid: TicketStatus.Valid,
  void: TicketStatus.Cancelled,
} as const;
