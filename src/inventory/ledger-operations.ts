import { EventCancelledError, HoldAlreadyConfirmedError, HoldExpiredError, HoldNotFoundError, SeatsLimitBelowSoldError } from '../common/domain-error.js';
import { generateReference } from '../common/reference.js';
import { generateTicketCode } from '../common/ticket-code.js';
import { readDate, readNullableDate, readNullableInteger } from '../database/column-values.js';
import { Booking, BookingStatus } from './booking.entity.js';
import { codeRefusal, discountedPrice, exhaustion } from './code-rules.js';
import { CodeUseChanges } from './code-uses.js';
import { appliesTo, type EventCode } from './event-code.entity.js';
import { Hold, HoldStatus } from './hold.entity.js';
import type { LedgerTransaction } from './ledger-transaction.js';
import {
  bookingState,
  cancelEventBookings,
  cancelEventTickets,
  cancelTickets,
  closeCategory,
  deleteHold,
  deleteLines,
  eventCodeFromRow,
  expireOverdueHolds as expireOverdueHoldsStatement,
  holdState,
  insertBookings,
  insertHold,
  insertLines,
  insertTickets,
  linesOf,
  lockCategory as lockCategoryStatement,
  lockCode,
  markBookingCancelled,
  markHoldConfirmed,
  moveLines,
  orderLineFromRow,
  overdueHeldSeats,
  overdueHolds,
  releaseEventCodeUses,
  releaseEventHolds,
  returnEventLines,
  returnOverdueLines,
  soldSeatsOfCategory,
  STATUS,
  ticketCategoryFromRow,
  ticketFromRow,
  ticketsOf,
} from './ledger-statements.js';
import { insertedId } from '../database/multi-row-insert.js';
import { bookingMessagesStatement, holdEndedStatement, isListening, listeningStatement, messagesStatement, type Announcement, type BookingAnnouncement } from '../outbox/announcements.js';
import type { Statement } from '../database/built-query.js';
import { LineState, OrderLine } from './order-line.entity.js';
import type { CategoryTerms, ConfirmedHold, HeldOrder, HoldOrder, OrderNews, Sale, SeatLine, SeatOrder } from './seat-ledger.js';
import { changeSeats, type SeatChange } from './seat-counters.js';
import { orderShortage } from './seat-rules.js';
import { WaitlistStatus } from './waitlist-entry.entity.js';
import { announceExpired, endOfferOfHold, expireOffers, offerFreeSeats, type WaitlistTerms } from './waitlist-offers.js';
import { endEventEntries, openEntriesOfEvent, WAITLIST, waitlistEntryFromRow } from './waitlist-statements.js';
import { seatsLeft, TicketCategory } from './ticket-category.entity.js';
import { Ticket, TicketStatus } from './ticket.entity.js';

/**
 * The ledger's operations, written once for both adapters against a LedgerTransaction. Each locks
 * the categories it changes first — several always in ascending id order, so two operations never
 * deadlock — then checks, then writes; holding the locks is what makes each count-then-write safe.
 */

/** The locked categories by id. */
export type LockedCategories = Map<number, TicketCategory>;

/** Locks the categories in ascending id order, the one order every operation takes them in (on MySQL in one round trip). */
export async function lockCategories(tx: LedgerTransaction, categoryIds: number[]): Promise<LockedCategories> {
  const [locked] = await lockCategoriesThen(tx, categoryIds, []);
  return locked;
}

/** Locks the categories as lockCategories does, then runs `after` in the same round trip; answers the rows of each of those too. */
async function lockCategoriesThen(tx: LedgerTransaction, categoryIds: number[], after: Statement[]): Promise<[LockedCategories, Record<string, unknown>[][]]> {
  const statement = tx.locksRows ? lockCategoryStatement.rowLock : lockCategoryStatement.exclusive;
  const ids = [...new Set(categoryIds)].sort((a, b) => a - b);
  const locked: LockedCategories = new Map();
  // An order whose lines are gone (a hold released by a concurrent request) locks nothing; MySQL refuses an empty query.
  if (ids.length === 0 && after.length === 0) return [locked, []];
  const results = await tx.rowsOfEach([...ids.map((id) => statement.statement(tx.dataSource, { id })), ...after]);
  results.slice(0, ids.length).forEach(([row], i) => {
    if (!row) throw new Error(`Ticket category ${ids[i]} vanished while it was being booked`);
    locked.set(ids[i], ticketCategoryFromRow(row));
  });
  return [locked, results.slice(ids.length)];
}

/** Locks categories that are about to sell or hold seats; a cancellation that got there first wins. */
export async function lockOpenCategories(tx: LedgerTransaction, categoryIds: number[]): Promise<LockedCategories> {
  return refusingClosedSales(await lockCategories(tx, categoryIds));
}

/** The categories a sale has locked, and whether its event's organiser has an active webhook to tell. */
export interface SaleLocks {
  locked: LockedCategories;
  listening: boolean;
}

/**
 * Locks the categories of a sale of the event, and reads in the same round trip whether anybody
 * listens to the event (see listeningStatement): a sale nobody listens to writes no message, and
 * does not send the statement that would.
 */
export async function lockForSale(tx: LedgerTransaction, eventId: number, categoryIds: number[]): Promise<SaleLocks> {
  const [locked, [[listened]]] = await lockCategoriesThen(tx, categoryIds, [listeningStatement(tx.dataSource, eventId, tx.locksRows)]);
  return { locked: refusingClosedSales(locked), listening: isListening(listened) };
}

function refusingClosedSales(locked: LockedCategories): LockedCategories {
  for (const category of locked.values()) if (category.salesClosed) throw new EventCancelledError(category.eventId);
  return locked;
}

/**
 * The order's code, locked with every code whose uses the transaction changes, in ascending id
 * order and after the categories (on MySQL in one round trip); its uses count what the
 * transaction already gave back (a hold with this code that expired to make room, say).
 */
export async function lockOrderCode(tx: LedgerTransaction, codeId: number, changes: CodeUseChanges): Promise<EventCode> {
  const statement = tx.locksRows ? lockCode.rowLock : lockCode.exclusive;
  const ids = [...new Set([...changes.ids(), codeId])].sort((a, b) => a - b);
  const results = await tx.rowsOfEach(ids.map((id) => statement.statement(tx.dataSource, { id })));
  const [row] = results[ids.indexOf(codeId)];
  if (!row) throw new Error(`Code ${codeId} vanished while it was being used`);
  const code = eventCodeFromRow(row);
  code.uses += changes.pending(codeId);
  return code;
}

/**
 * Returns the seats of the category's held lines whose hold's time ran out, and marks those holds
 * expired; the uses of their codes go back into `codes`. Called by the sweep, and by an order that
 * would not fit while overdue holds still count: an expired hold never blocks a buyer, whether or
 * not the sweep has run yet. A hold of several categories is expired whole (its code's use comes
 * back once, with it); each of its other lines comes back when its own category is locked.
 */
export async function expireOverdueHolds(tx: LedgerTransaction, category: TicketCategory, now: Date, codes: CodeUseChanges): Promise<number> {
  const overdue = { categoryId: category.id, held: STATUS.held, now };
  const ending = tx.locksRows ? overdueHolds.rowLock : overdueHolds.exclusive;
  const [[row], holds] = await tx.rowsOfEach([
    overdueHeldSeats.statement(tx.dataSource, overdue),
    ending.statement(tx.dataSource, { categoryId: category.id, active: STATUS.active, now }),
  ]);
  const seats = Number(row?.seats ?? 0);
  if (seats === 0) return 0;
  for (const hold of holds) codes.giveBack(readNullableInteger(hold.hold_code_id));
  await tx.rowsOfEach([
    expireOverdueHoldsStatement.statement(tx.dataSource, { categoryId: category.id, active: STATUS.active, expired: STATUS.expired, now }),
    returnOverdueLines.statement(tx.dataSource, { ...overdue, returned: STATUS.returned }),
  ]);
  const references = holds.map((hold) => String(hold.hold_reference));
  if (holds.length > 0) void tx.write(holdEndedStatement(tx.dataSource, references, 'hold.expired', now));
  await expireOffers(tx, category, references, now);
  changeSeats(tx, category, { held: -seats });
  return seats;
}

/**
 * Makes room by expiring overdue holds only when the line would not fit otherwise; what comes back
 * goes to the category's waiting list first.
 */
export async function freeOverdueSeatsIfShort(tx: LedgerTransaction, category: TicketCategory, quantity: number, now: Date, codes: CodeUseChanges, waitlist: WaitlistTerms): Promise<void> {
  if (seatsLeft(category) >= quantity || category.seatsHeld === 0) return;
  if ((await expireOverdueHolds(tx, category, now, codes)) > 0) await offerFreeSeats(tx, category, now, waitlist);
}

/**
 * The order's lines priced from their locked rows, so a price read before the lock never reaches
 * an order: each line the code applies to at its discounted price, from the code's locked row too.
 */
export function pricedLines(order: SeatOrder, locked: LockedCategories, reference: string, state: LineState, code?: EventCode): OrderLine[] {
  return order.lines.map((line, position) => {
    const originalUnitPriceCents = (locked.get(line.categoryId) as TicketCategory).priceCents;
    const currency = order.code?.currency;
    const discounted = code !== undefined && currency !== undefined && appliesTo(code, line.categoryId);
    const unitPriceCents = discounted ? discountedPrice(originalUnitPriceCents, code, currency) : originalUnitPriceCents;
    return Object.assign(new OrderLine(), {
      reference,
      eventId: order.eventId,
      ticketCategoryId: line.categoryId,
      position,
      quantity: line.quantity,
      unitPriceCents,
      originalUnitPriceCents,
      totalPriceCents: unitPriceCents * line.quantity,
      attendeeNames: state === LineState.Held && line.attendeeNames.length > 0 ? line.attendeeNames : null,
      state,
    });
  });
}

/** What a booking or hold says of its lines as a whole: the category and unit price only of a one-line order. */
function orderTotals(lines: Pick<OrderLine, 'ticketCategoryId' | 'quantity' | 'unitPriceCents' | 'originalUnitPriceCents' | 'totalPriceCents'>[]) {
  const single = lines.length === 1 ? lines[0] : undefined;
  return {
    ticketCategoryId: single?.ticketCategoryId ?? null,
    unitPriceCents: single?.unitPriceCents ?? null,
    quantity: lines.reduce((sum, line) => sum + line.quantity, 0),
    totalPriceCents: lines.reduce((sum, line) => sum + line.totalPriceCents, 0),
    discountTotalCents: lines.reduce((sum, line) => sum + (line.originalUnitPriceCents - line.unitPriceCents) * line.quantity, 0),
  };
}

/** What an entry records of the code it used. */
function codeOf(code: EventCode | undefined): Pick<Booking, 'codeId' | 'code'> {
  return { codeId: code?.id ?? null, code: code?.code ?? null };
}

export function newBooking(order: SeatOrder, lines: OrderLine[], reference: string, code?: EventCode): Booking {
  return Object.assign(new Booking(), {
    reference,
    status: BookingStatus.Confirmed,
    eventId: order.eventId,
    ...orderTotals(lines),
    ...codeOf(code),
    customerName: order.buyer.name,
    customerEmail: order.buyer.email,
    createdAt: new Date(),
    cancelledAt: null,
  });
}

/** A ticket for every seat of every line, named in order from the names given with the line. */
export function ticketsFor(reference: string, eventId: number, lines: Pick<SeatLine, 'categoryId' | 'quantity' | 'attendeeNames'>[]): Ticket[] {
  const createdAt = new Date();
  return lines.flatMap((line) =>
    Array.from({ length: line.quantity }, (_, seat) =>
      Object.assign(new Ticket(), {
        code: generateTicketCode(),
        reference,
        eventId,
        ticketCategoryId: line.categoryId,
        attendeeName: line.attendeeNames[seat] ?? null,
        status: TicketStatus.Valid,
        checkedInAt: null,
        createdAt,
      }),
    ),
  );
}

/** A sale whose booking id the database has not answered yet: sent with the commit, known after it. */
export interface PendingSale extends Sale {
  inserted: Promise<unknown>;
}

/** One order, one transaction: lock every category, check every line, then every write sent with the commit. */
export async function sellOrder(tx: LedgerTransaction, order: SeatOrder, news: OrderNews<Sale, BookingAnnouncement>, waitlist: WaitlistTerms): Promise<PendingSale> {
  return sellOnLockedRows(tx, await lockForSale(tx, order.eventId, order.lines.map((line) => line.categoryId)), order, news, waitlist);
}

/** Checks every line of the order on its locked row (sold out first, then short), and its code, and writes only if all pass. */
export async function sellOnLockedRows(tx: LedgerTransaction, { locked, listening }: SaleLocks, order: SeatOrder, news: OrderNews<Sale, BookingAnnouncement>, waitlist: WaitlistTerms): Promise<PendingSale> {
  const { code, soldOut } = await takeSeats(tx, locked, order, 'sold', waitlist);
  const reference = generateReference();
  const lines = pricedLines(order, locked, reference, LineState.Sold, code);
  const booking = newBooking(order, lines, reference, code);
  const tickets = ticketsFor(reference, order.eventId, order.lines);
  const inserted = tx.write(insertBookings.statement(tx.dataSource, [booking]));
  void tx.write(insertLines.statement(tx.dataSource, lines));
  void tx.write(insertTickets.statement(tx.dataSource, tickets));
  if (listening) void tx.write(bookingMessagesStatement(tx.dataSource, [news.written({ booking, lines, tickets })]));
  announceSoldOut(tx, soldOut, news);
  return { booking, lines, tickets, inserted };
}

/** `category.sold_out` for each category the order took the last seat of. */
export function announceSoldOut(tx: LedgerTransaction, categories: TicketCategory[], news: Pick<OrderNews<unknown>, 'soldOut'>): void {
  if (categories.length > 0) void tx.write(messagesStatement(tx.dataSource, categories.map((category) => news.soldOut(category))));
}

/** The categories an order has just taken the last seats of. */
export function soldOutBy(categories: TicketCategory[]): TicketCategory[] {
  return categories.filter((category) => seatsLeft(category) === 0);
}

/**
 * The checks on the locked rows, in the contract's order — the code still usable and applicable,
 * every line fits (sold out before short), a use of the code left — then the counters' writes.
 * Answers the order's code as it was locked, for pricing.
 */
async function takeSeats(tx: LedgerTransaction, locked: LockedCategories, order: SeatOrder, as: keyof SeatChange, waitlist: WaitlistTerms): Promise<{ code?: EventCode; soldOut: TicketCategory[] }> {
  const now = new Date();
  const codes = new CodeUseChanges();
  for (const line of order.lines) await freeOverdueSeatsIfShort(tx, locked.get(line.categoryId) as TicketCategory, line.quantity, now, codes, waitlist);
  const code = order.code ? await lockOrderCode(tx, order.code.codeId, codes) : undefined;
  const refusal = code && codeRefusal(code, order.lines.map((line) => line.categoryId), now);
  if (refusal) throw refusal;
  const shortage = orderShortage(order.lines.map((line) => ({ category: locked.get(line.categoryId) as TicketCategory, quantity: line.quantity })));
  if (shortage) throw shortage;
  if (code) {
    const exhausted = exhaustion(code);
    if (exhausted) throw exhausted;
    codes.take(code.id);
  }
  codes.write(tx);
  const categories = order.lines.map((line) => locked.get(line.categoryId) as TicketCategory);
  order.lines.forEach((line, i) => changeSeats(tx, categories[i], { [as]: line.quantity }));
  return { code, soldOut: soldOutBy(categories) };
}

/** Once the transaction has committed: the sale with the booking id the database gave it. */
export async function completed({ inserted, ...sale }: PendingSale): Promise<Sale> {
  sale.booking.id = insertedId(await inserted);
  return sale;
}

export async function holdSeats(tx: LedgerTransaction, order: HoldOrder, news: OrderNews<HeldOrder>, waitlist: WaitlistTerms): Promise<HeldOrder> {
  const locked = await lockOpenCategories(tx, order.lines.map((line) => line.categoryId));
  const { code, soldOut } = await takeSeats(tx, locked, order, 'held', waitlist);
  const reference = generateReference();
  const lines = pricedLines(order, locked, reference, LineState.Held, code);
  const hold = Object.assign(new Hold(), {
    reference,
    status: HoldStatus.Active,
    eventId: order.eventId,
    ...orderTotals(lines),
    ...codeOf(code),
    customerName: order.buyer.name,
    customerEmail: order.buyer.email,
    expiresAt: order.expiresAt,
    bookingId: null,
    createdAt: new Date(),
  });
  void tx.write(insertLines.statement(tx.dataSource, lines));
  hold.id = insertedId(await tx.rows(insertHold.statement(tx.dataSource, [hold])));
  // The subject lets the hold's release or expiry be announced from this message (holdEndedStatement).
  void tx.write(messagesStatement(tx.dataSource, [{ ...news.written({ hold, lines }), subject: reference }]));
  announceSoldOut(tx, soldOut, news);
  return { hold, lines };
}

/** An order's lines as they stand: read before locking to know which categories to lock, and again under the locks. */
async function orderLines(tx: LedgerTransaction, reference: string): Promise<OrderLine[]> {
  return (await tx.rows(linesOf.statement(tx.dataSource, { reference }))).map(orderLineFromRow);
}

/** Locks every category of an existing order, in id order, and answers its lines as they are under the locks. */
async function lockOrder(tx: LedgerTransaction, reference: string, open: boolean): Promise<{ locked: LockedCategories; lines: OrderLine[] }> {
  const categoryIds = (await orderLines(tx, reference)).map((line) => line.ticketCategoryId);
  const locked = await (open ? lockOpenCategories(tx, categoryIds) : lockCategories(tx, categoryIds));
  return { locked, lines: await orderLines(tx, reference) };
}

/** Gives the seats of the order's lines in `state` back to their categories, and on to those categories' waiting lists. */
async function returnSeatsOf(tx: LedgerTransaction, locked: LockedCategories, lines: OrderLine[], state: LineState.Held | LineState.Sold, waitlist: WaitlistTerms): Promise<void> {
  const returned = lines.filter((line) => line.state === state);
  for (const line of returned) changeSeats(tx, locked.get(line.ticketCategoryId) as TicketCategory, { [state]: -line.quantity });
  const now = new Date();
  for (const categoryId of new Set(returned.map((line) => line.ticketCategoryId))) await offerFreeSeats(tx, locked.get(categoryId) as TicketCategory, now, waitlist);
}

interface HoldState {
  status: HoldStatus;
  expiresAt: Date;
  bookingId: number | null;
}

async function currentHold(tx: LedgerTransaction, hold: Pick<Hold, 'id' | 'reference'>): Promise<HoldState> {
  const [row] = await tx.rows(holdState.statement(tx.dataSource, { id: hold.id }));
  if (!row) throw new HoldNotFoundError(hold.reference);
  return { status: row.hold_status as HoldStatus, expiresAt: readDate(row.hold_expires_at), bookingId: readNullableInteger(row.hold_booking_id) };
}

/** Every line moves from held to sold, booked at the hold's prices under the hold's reference, with a ticket per seat; the booking keeps the hold's use of its code. */
export async function confirmHold(tx: LedgerTransaction, hold: Hold, news: (sale: Sale) => Announcement): Promise<ConfirmedHold> {
  const { locked, lines } = await lockOrder(tx, hold.reference, true);
  const current = await currentHold(tx, hold);
  if (current.status === HoldStatus.Confirmed && current.bookingId !== null) return { bookingId: current.bookingId, created: false };
  if (current.status === HoldStatus.Expired || current.expiresAt.getTime() <= Date.now()) throw new HoldExpiredError(hold.reference);
  for (const line of lines) changeSeats(tx, locked.get(line.ticketCategoryId) as TicketCategory, { held: -line.quantity, sold: line.quantity });
  const booking = Object.assign(new Booking(), {
    reference: hold.reference,
    status: BookingStatus.Confirmed,
    eventId: hold.eventId,
    ...orderTotals(lines),
    codeId: hold.codeId,
    code: hold.code,
    customerName: hold.customerName,
    customerEmail: hold.customerEmail,
    createdAt: new Date(),
    cancelledAt: null,
  });
  const tickets = ticketsFor(hold.reference, hold.eventId, lines.map((line) => ({ categoryId: line.ticketCategoryId, quantity: line.quantity, attendeeNames: line.attendeeNames ?? [] })));
  void tx.write(moveLines.statement(tx.dataSource, { reference: hold.reference, from: STATUS.held, to: STATUS.sold }));
  void tx.write(insertTickets.statement(tx.dataSource, tickets));
  const bookingId = insertedId(await tx.rows(insertBookings.statement(tx.dataSource, [booking])));
  void tx.write(markHoldConfirmed.statement(tx.dataSource, { id: hold.id, bookingId, confirmed: STATUS.holdConfirmed }));
  endOfferOfHold(tx, hold.reference, WaitlistStatus.Converted);
  booking.id = bookingId;
  void tx.write(messagesStatement(tx.dataSource, [news({ booking, lines, tickets })]));
  return { bookingId, created: true };
}

/** A hold that was a waiting list's offer lets the offer go: its entry is withdrawn, and the seats go to the next in line. */
export async function releaseHold(tx: LedgerTransaction, hold: Pick<Hold, 'id' | 'reference' | 'codeId'>, waitlist: WaitlistTerms): Promise<void> {
  const { locked, lines } = await lockOrder(tx, hold.reference, false);
  const current = await currentHold(tx, hold);
  if (current.status === HoldStatus.Confirmed) throw new HoldAlreadyConfirmedError(hold.reference);
  // An expired hold gave its use back when it expired; a released one when the event was cancelled.
  if (current.status === HoldStatus.Active) {
    giveUseBack(tx, hold.codeId);
    void tx.write(holdEndedStatement(tx.dataSource, [hold.reference], 'hold.released', new Date()));
    endOfferOfHold(tx, hold.reference, WaitlistStatus.Withdrawn);
  }
  void tx.write(deleteLines.statement(tx.dataSource, { reference: hold.reference }));
  void tx.write(deleteHold.statement(tx.dataSource, { id: hold.id }));
  await returnSeatsOf(tx, locked, lines, LineState.Held, waitlist);
}

/** Cancels the booking, its tickets with it, and returns its seats to every category of its lines. */
export async function returnSeats(tx: LedgerTransaction, booking: Booking, news: (cancelled: Booking, tickets: Ticket[]) => Announcement, waitlist: WaitlistTerms): Promise<Booking> {
  const { locked, lines } = await lockOrder(tx, booking.reference, false);
  const [row] = await tx.rows(bookingState.statement(tx.dataSource, { id: booking.id }));
  if (row?.booking_status === BookingStatus.Cancelled) {
    return Object.assign(booking, { status: BookingStatus.Cancelled, cancelledAt: readNullableDate(row.booking_cancelled_at) });
  }
  const now = new Date();
  await returnSeatsOf(tx, locked, lines, LineState.Sold, waitlist);
  giveUseBack(tx, booking.codeId);
  void tx.write(markBookingCancelled.statement(tx.dataSource, { id: booking.id, cancelled: STATUS.cancelled, now }));
  void tx.write(moveLines.statement(tx.dataSource, { reference: booking.reference, from: STATUS.sold, to: STATUS.returned }));
  void tx.write(cancelTickets.statement(tx.dataSource, { reference: booking.reference, valid: STATUS.valid, void: STATUS.void }));
  Object.assign(booking, { status: BookingStatus.Cancelled, cancelledAt: now });
  const tickets = (await tx.rows(ticketsOf.statement(tx.dataSource, { reference: booking.reference }))).map(ticketFromRow);
  void tx.write(messagesStatement(tx.dataSource, [news(booking, tickets)]));
  return booking;
}

function giveUseBack(tx: LedgerTransaction, codeId: number | null): void {
  const codes = new CodeUseChanges();
  codes.giveBack(codeId);
  codes.write(tx);
}

export async function expireOverdue(tx: LedgerTransaction, categoryId: number, now: Date, waitlist: WaitlistTerms): Promise<number> {
  const category = (await lockCategories(tx, [categoryId])).get(categoryId) as TicketCategory;
  const codes = new CodeUseChanges();
  const seats = await expireOverdueHolds(tx, category, now, codes);
  codes.write(tx);
  if (seats > 0) await offerFreeSeats(tx, category, now, waitlist);
  return seats;
}

/**
 * Changes categories in id order under their locks, so a new seats_limit is checked against the
 * seats sold and held at that moment and no booking can slip past it.
 */
export async function changeTerms(tx: LedgerTransaction, changes: CategoryTerms[], now: Date, waitlist: WaitlistTerms): Promise<void> {
  const locked = await lockCategories(tx, changes.map((change) => change.categoryId));
  const codes = new CodeUseChanges();
  for (const change of [...changes].sort((a, b) => a.categoryId - b.categoryId)) {
    const category = locked.get(change.categoryId) as TicketCategory;
    if (change.seatsLimit !== undefined && change.seatsLimit < category.seatsSold + category.seatsHeld) {
      await expireOverdueHolds(tx, category, now, codes);
      const taken = category.seatsSold + category.seatsHeld;
      if (change.seatsLimit < taken) throw new SeatsLimitBelowSoldError(category.name, taken);
    }
    const values = {
      ...(change.priceCents !== undefined && { priceCents: change.priceCents }),
      ...(change.seatsLimit !== undefined && { seatsLimit: change.seatsLimit }),
      ...(change.maxPerBooking !== undefined && { maxPerBooking: change.maxPerBooking }),
    };
    // Through the transaction, after the expiry's writes: a lower limit is checked against the held seats they return.
    if (Object.keys(values).length > 0) await tx.rows(tx.dataSource.createQueryBuilder().update(TicketCategory).set(values).where('id = :id', { id: category.id }).getQueryAndParameters());
    // Only a new limit frees seats (raised, or holds expired on the way to a lower one): the waiting list gets them at the new price.
    Object.assign(category, values);
    if (change.seatsLimit !== undefined) await offerFreeSeats(tx, category, now, waitlist);
  }
  codes.write(tx);
}

/**
 * Every category is locked first, so no booking can commit in between; seats_sold falls back to
 * what was sold elsewhere (the initial seats_sold), holds are dropped, tickets cancelled, no code
 * is in use any more, and sales stop for good.
 */
export async function closeSales(tx: LedgerTransaction, eventId: number, categoryIds: number[], now: Date): Promise<void> {
  const locked = await lockCategories(tx, categoryIds);
  await closeWaitingLists(tx, eventId, locked, now);
  for (const category of locked.values()) {
    const [row] = await tx.rows(soldSeatsOfCategory.statement(tx.dataSource, { categoryId: category.id, sold: STATUS.sold }));
    await tx.rows(closeCategory.statement(tx.dataSource, { id: category.id, returned: Number(row?.seats ?? 0), closed: true }));
  }
  await tx.rowsOfEach([
    returnEventLines.statement(tx.dataSource, { eventId, held: STATUS.held, sold: STATUS.sold, returned: STATUS.returned }),
    cancelEventBookings.statement(tx.dataSource, { eventId, confirmed: STATUS.confirmed, cancelled: STATUS.cancelled, now }),
    releaseEventHolds.statement(tx.dataSource, { eventId, active: STATUS.active, released: STATUS.released }),
    cancelEventTickets.statement(tx.dataSource, { eventId, valid: STATUS.valid, void: STATUS.void }),
    releaseEventCodeUses.statement(tx.dataSource, { eventId }),
  ]);
}

/** Nobody is offered seats of a cancelled event: its waiting entries and outstanding offers expire, each announced. */
async function closeWaitingLists(tx: LedgerTransaction, eventId: number, locked: LockedCategories, now: Date): Promise<void> {
  const open = (await tx.rows(openEntriesOfEvent.statement(tx.dataSource, { eventId, waiting: WAITLIST.waiting, offered: WAITLIST.offered }))).map(waitlistEntryFromRow);
  if (open.length === 0) return;
  void tx.write(endEventEntries.statement(tx.dataSource, { eventId, waiting: WAITLIST.waiting, offered: WAITLIST.offered, ended: WAITLIST.expired }));
  announceExpired(tx, open, (entry) => (locked.get(entry.ticketCategoryId) as TicketCategory).name, now);
}
