import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '../src/common/error-code.js';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { Booking, BookingStatus } from '../src/inventory/booking.entity.js';
import { CodeKind, EventCode } from '../src/inventory/event-code.entity.js';
import { Hold, HoldStatus } from '../src/inventory/hold.entity.js';
import { LineState, OrderLine } from '../src/inventory/order-line.entity.js';
import { SEAT_LEDGER, type HoldOrder, type OrderNews, type Sale, type SeatLedger, type SeatOrder } from '../src/inventory/seat-ledger.js';
import { Ticket, TicketStatus } from '../src/inventory/ticket.entity.js';
import { TicketCategory } from '../src/inventory/ticket-category.entity.js';
import { WaitlistEntry, WaitlistStatus } from '../src/inventory/waitlist-entry.entity.js';
import type { BookingAnnouncement } from '../src/outbox/announcements.js';
import { OutboxMessage } from '../src/outbox/outbox-message.entity.js';
import { createEvent } from './support/fixtures.js';
import { listenAsOrganiser } from './support/api-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The seat ledger's contract, against whichever adapter the database selects (SQLite here,
 * MySQL under npm run test:mysql): what each operation leaves in the tables.
 */
let testApp: TestApp;
let port: SeatLedger;
let dataSource: DataSource;

/** News as small as a message can be: what it is about, so the tests can tell which message is whose. */
const soldOut: OrderNews<unknown>['soldOut'] = (category) => ({ type: 'category.sold_out', eventId: category.eventId, data: { ticket_category: category.name, seats_sold: category.seatsSold } });
const saleNews: OrderNews<Sale, BookingAnnouncement> = {
  written: ({ booking }) => ({ type: 'booking.confirmed', eventId: booking.eventId, data: { id: booking.id, reference: booking.reference } }),
  soldOut,
};

/** The port, each operation with its test news. */
const ledger = {
  book: (seatOrder: SeatOrder) => port.book(seatOrder, saleNews),
  hold: (holdOrder: HoldOrder) => port.hold(holdOrder, { written: ({ hold }) => ({ type: 'hold.created', eventId: hold.eventId, data: { reference: hold.reference } }), soldOut }),
  confirmHold: (hold: Hold) => port.confirmHold(hold, ({ booking }) => ({ type: 'booking.confirmed', eventId: booking.eventId, data: { id: booking.id, reference: booking.reference } })),
  releaseHold: (hold: Hold) => port.releaseHold(hold),
  returnSeats: (booking: Booking) =>
    port.returnSeats(booking, (cancelled, tickets) => ({ type: 'booking.cancelled', eventId: cancelled.eventId, data: { reference: cancelled.reference, tickets: tickets.map((ticket) => ticket.status) } })),
  expireOverdue: (categoryId: number, now: Date) => port.expireOverdue(categoryId, now),
  changeTerms: (...args: Parameters<SeatLedger['changeTerms']>) => port.changeTerms(...args),
  closeSales: (...args: Parameters<SeatLedger['closeSales']>) => port.closeSales(...args),
  joinWaitlist: ({ eventId, categoryId }: Category, quantity: number) => port.joinWaitlist({ eventId, categoryId, quantity, customerEmail: 'ada@example.com', customerName: null }),
  withdrawFromWaitlist: (entry: WaitlistEntry) => port.withdrawFromWaitlist(entry),
};

beforeAll(async () => {
  testApp = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  await listenAsOrganiser(await testApp.app.getUrl());
  port = testApp.app.get(SEAT_LEDGER);
  dataSource = testApp.dataSource;
});

afterAll(async () => {
  await testApp.close();
});

interface Category {
  eventId: number;
  categoryId: number;
}

async function category(seatsLimit: number, seatsSold = 0): Promise<Category> {
  const event = await createEvent(testApp, { ticket_categories: [{ name: 'Stalls', price: 19.99, seats_limit: seatsLimit, seats_sold: seatsSold }] });
  const { id } = await dataSource.getRepository(TicketCategory).findOneByOrFail({ eventId: event.id });
  return { eventId: event.id, categoryId: id };
}

/** An event of two categories: Stalls (19.99) and Circle (30). */
async function twoCategories(stallsLimit: number, circleLimit: number): Promise<[Category, Category]> {
  const event = await createEvent(testApp, {
    ticket_categories: [
      { name: 'Stalls', price: 19.99, seats_limit: stallsLimit },
      { name: 'Circle', price: 30, seats_limit: circleLimit },
    ],
  });
  const [stalls, circle] = await dataSource.getRepository(TicketCategory).find({ where: { eventId: event.id }, order: { id: 'ASC' } });
  return [
    { eventId: event.id, categoryId: stalls.id },
    { eventId: event.id, categoryId: circle.id },
  ];
}

function seats({ eventId, categoryId }: Category, quantity: number, attendeeNames: string[] = []): SeatOrder {
  return { eventId, lines: [{ categoryId, quantity, attendeeNames }], buyer: { name: 'Ada', email: 'ada@example.com' } };
}

function order(...lines: [Category, number][]): SeatOrder {
  return { eventId: lines[0][0].eventId, lines: lines.map(([{ categoryId }, quantity]) => ({ categoryId, quantity, attendeeNames: [] })), buyer: { name: 'Ada', email: null } };
}

function linesOf(reference: string) {
  return dataSource.getRepository(OrderLine).find({ where: { reference }, order: { position: 'ASC' } });
}

function ticketsOf(reference: string) {
  return dataSource.getRepository(Ticket).find({ where: { reference }, order: { id: 'ASC' } });
}

const inAMinute = () => new Date(Date.now() + 60_000);

async function counters({ categoryId }: Category) {
  const { seatsSold, seatsHeld, seatsLimit, salesClosed } = await dataSource.getRepository(TicketCategory).findOneByOrFail({ id: categoryId });
  return { seatsSold, seatsHeld, seatsLimit, salesClosed };
}

function inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return testApp.app.get(TransactionRunner).run(work);
}

describe('SeatLedger.book', () => {
  it('counts the seats as sold and stores a confirmed booking priced from the locked row', async () => {
    const stalls = await category(10, 4);
    await dataSource.getRepository(TicketCategory).update({ id: stalls.categoryId }, { priceCents: 2500 });

    const { booking } = await ledger.book(seats(stalls, 3, ['Ada', 'Grace']));

    expect(await counters(stalls)).toMatchObject({ seatsSold: 7, seatsHeld: 0 });
    expect(await linesOf(booking.reference)).toEqual([expect.objectContaining({ ticketCategoryId: stalls.categoryId, quantity: 3, unitPriceCents: 2500, state: LineState.Sold })]);
    expect((await ticketsOf(booking.reference)).map((ticket) => [ticket.attendeeName, ticket.status])).toEqual([
      ['Ada', TicketStatus.Valid],
      ['Grace', TicketStatus.Valid],
      [null, TicketStatus.Valid],
    ]);
    expect(await dataSource.getRepository(Booking).findOneByOrFail({ id: booking.id })).toMatchObject({
      reference: booking.reference,
      status: BookingStatus.Confirmed,
      quantity: 3,
      unitPriceCents: 2500,
      totalPriceCents: 7500,
      customerName: 'Ada',
    });
  });

  it('writes nothing when too few seats are left', async () => {
    const stalls = await category(10, 9);
    await expect(ledger.book(seats(stalls, 2))).rejects.toMatchObject({ code: ErrorCode.InsufficientSeats });
    await expect(ledger.book(seats(await category(1, 1), 1))).rejects.toMatchObject({ code: ErrorCode.SoldOut });
    expect(await counters(stalls)).toMatchObject({ seatsSold: 9 });
    expect(await dataSource.getRepository(Booking).countBy({ ticketCategoryId: stalls.categoryId })).toBe(0);
  });

  it('expires overdue holds first when they are all that stands in the way', async () => {
    const stalls = await category(2);
    const { hold } = await ledger.hold({ ...seats(stalls, 2), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: hold.id }, { expiresAt: new Date(Date.now() - 1000) });

    await ledger.book(seats(stalls, 2));

    expect(await counters(stalls)).toMatchObject({ seatsSold: 2, seatsHeld: 0 });
    expect(await dataSource.getRepository(Hold).findOneByOrFail({ id: hold.id })).toMatchObject({ status: HoldStatus.Expired });
  });
});

describe('SeatLedger holds', () => {
  it('holds seats, then confirms them as a booking with the hold’s reference and price, once', async () => {
    const stalls = await category(5);
    const { hold } = await ledger.hold({ ...seats(stalls, 2, ['Ada']), expiresAt: inAMinute() });
    expect(await counters(stalls)).toMatchObject({ seatsSold: 0, seatsHeld: 2 });
    await dataSource.getRepository(TicketCategory).update({ id: stalls.categoryId }, { priceCents: 9900 });

    const confirmed = await ledger.confirmHold(hold);
    const again = await ledger.confirmHold(hold);

    expect(confirmed.created).toBe(true);
    expect(again).toEqual({ bookingId: confirmed.bookingId, created: false });
    expect(await counters(stalls)).toMatchObject({ seatsSold: 2, seatsHeld: 0 });
    expect(await dataSource.getRepository(Booking).findOneByOrFail({ id: confirmed.bookingId })).toMatchObject({ reference: hold.reference, unitPriceCents: 1999 });
    expect(await dataSource.getRepository(Hold).findOneByOrFail({ id: hold.id })).toMatchObject({ status: HoldStatus.Confirmed, bookingId: confirmed.bookingId });
    expect((await linesOf(hold.reference)).map((line) => line.state)).toEqual([LineState.Sold]);
    expect((await ticketsOf(hold.reference)).map((ticket) => ticket.attendeeName)).toEqual(['Ada', null]);
  });

  it('refuses to confirm an expired hold', async () => {
    const { hold } = await ledger.hold({ ...seats(await category(5), 1), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: hold.id }, { expiresAt: new Date(Date.now() - 1000) });
    await expect(ledger.confirmHold(hold)).rejects.toMatchObject({ code: ErrorCode.HoldExpired });
  });

  it('frees released seats at once, and will not release a confirmed hold', async () => {
    const stalls = await category(5);
    const { hold: released } = await ledger.hold({ ...seats(stalls, 2), expiresAt: inAMinute() });
    const { hold: confirmed } = await ledger.hold({ ...seats(stalls, 1), expiresAt: inAMinute() });
    await ledger.confirmHold(confirmed);

    await ledger.releaseHold(released);

    expect(await counters(stalls)).toMatchObject({ seatsSold: 1, seatsHeld: 0 });
    expect(await dataSource.getRepository(Hold).countBy({ id: released.id })).toBe(0);
    await expect(ledger.releaseHold(confirmed)).rejects.toMatchObject({ code: ErrorCode.HoldAlreadyConfirmed });
  });

  it('expires a category’s overdue holds and answers how many seats came back', async () => {
    const stalls = await category(5);
    const { hold: overdue } = await ledger.hold({ ...seats(stalls, 3), expiresAt: inAMinute() });
    await ledger.hold({ ...seats(stalls, 1), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: overdue.id }, { expiresAt: new Date(Date.now() - 1000) });

    expect(await ledger.expireOverdue(stalls.categoryId, new Date())).toBe(3);
    expect(await counters(stalls)).toMatchObject({ seatsHeld: 1 });
  });
});

describe('SeatLedger.returnSeats', () => {
  it('cancels the booking and returns its seats exactly once', async () => {
    const stalls = await category(5);
    const { booking } = await ledger.book(seats(stalls, 2));

    const cancelled = await ledger.returnSeats(booking);
    const again = await ledger.returnSeats(Object.assign(new Booking(), { ...booking, status: BookingStatus.Confirmed }));

    expect(cancelled).toMatchObject({ status: BookingStatus.Cancelled, cancelledAt: expect.any(Date) });
    expect(again.cancelledAt?.getTime()).toBe(cancelled.cancelledAt?.getTime());
    expect(await counters(stalls)).toMatchObject({ seatsSold: 0 });
    expect((await ticketsOf(booking.reference)).map((ticket) => ticket.status)).toEqual([TicketStatus.Cancelled, TicketStatus.Cancelled]);
  });
});

describe('SeatLedger waiting lists', () => {
  const entryOf = (id: number) => dataSource.getRepository(WaitlistEntry).findOneByOrFail({ id });

  it('puts a buyer in line only while too few seats are free, numbering the line from 1', async () => {
    const stalls = await category(3, 2);

    await expect(ledger.joinWaitlist(stalls, 1)).rejects.toMatchObject({ code: ErrorCode.SeatsAvailable });
    const first = await ledger.joinWaitlist(stalls, 2);
    const second = await ledger.joinWaitlist(stalls, 3);

    expect(first).toMatchObject({ position: 1, entry: { status: WaitlistStatus.Waiting, quantity: 2 } });
    expect(second.position).toBe(2);
  });

  it('offers returned seats as a hold to the first entry that fits, in the transaction that returns them', async () => {
    const stalls = await category(2);
    const { booking } = await ledger.book(seats(stalls, 2));
    const big = await ledger.joinWaitlist(stalls, 3);
    const fits = await ledger.joinWaitlist(stalls, 2);

    await ledger.returnSeats(booking);

    const offered = await entryOf(fits.entry.id);
    expect(offered).toMatchObject({ status: WaitlistStatus.Offered, holdReference: expect.any(String), offerExpiresAt: expect.any(Date) });
    expect(await entryOf(big.entry.id)).toMatchObject({ status: WaitlistStatus.Waiting });
    expect(await dataSource.getRepository(Hold).findOneByOrFail({ reference: offered.holdReference as string })).toMatchObject({ status: HoldStatus.Active, quantity: 2, customerEmail: 'ada@example.com' });
    expect(await counters(stalls)).toMatchObject({ seatsSold: 0, seatsHeld: 2 });
  });

  it('converts the entry when its offer is confirmed, and withdraws it when its offer is released, passing the seats on', async () => {
    const stalls = await category(1);
    const { booking } = await ledger.book(seats(stalls, 1));
    const first = await ledger.joinWaitlist(stalls, 1);
    const second = await ledger.joinWaitlist(stalls, 1);
    await ledger.returnSeats(booking);

    const withdrawn = await ledger.withdrawFromWaitlist(first.entry);
    const offer = await dataSource.getRepository(Hold).findOneByOrFail({ reference: (await entryOf(second.entry.id)).holdReference as string });
    await ledger.confirmHold(offer);

    expect(withdrawn.status).toBe(WaitlistStatus.Withdrawn);
    expect(await entryOf(second.entry.id)).toMatchObject({ status: WaitlistStatus.Converted });
    expect(await counters(stalls)).toMatchObject({ seatsSold: 1, seatsHeld: 0 });
  });

  it('expires an offer with its hold and gives the seats to the next in line', async () => {
    const stalls = await category(1);
    const { booking } = await ledger.book(seats(stalls, 1));
    const first = await ledger.joinWaitlist(stalls, 1);
    const second = await ledger.joinWaitlist(stalls, 1);
    await ledger.returnSeats(booking);
    await dataSource.getRepository(Hold).update({ reference: (await entryOf(first.entry.id)).holdReference as string }, { expiresAt: new Date(Date.now() - 1000) });

    expect(await ledger.expireOverdue(stalls.categoryId, new Date())).toBe(1);

    expect(await entryOf(first.entry.id)).toMatchObject({ status: WaitlistStatus.Expired });
    expect(await entryOf(second.entry.id)).toMatchObject({ status: WaitlistStatus.Offered });
    expect(await counters(stalls)).toMatchObject({ seatsHeld: 1 });
  });
});

describe('SeatLedger organiser operations', () => {
  it('changes a limit only down to the seats sold and held, not counting overdue holds', async () => {
    const stalls = await category(10);
    await ledger.book(seats(stalls, 3));
    const { hold: overdue } = await ledger.hold({ ...seats(stalls, 4), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: overdue.id }, { expiresAt: new Date(Date.now() - 1000) });

    await expect(inTransaction((manager) => ledger.changeTerms(manager, [{ categoryId: stalls.categoryId, seatsLimit: 2 }], new Date()))).rejects.toMatchObject({
      code: ErrorCode.SeatsLimitBelowSold,
    });
    await inTransaction((manager) => ledger.changeTerms(manager, [{ categoryId: stalls.categoryId, seatsLimit: 3, priceCents: 500 }], new Date()));

    expect(await counters(stalls)).toMatchObject({ seatsLimit: 3, seatsSold: 3, seatsHeld: 0 });
  });

  it('closes sales: bookings cancelled, holds released, seats_sold back to the initial count, nothing sells after', async () => {
    const stalls = await category(10, 2);
    await ledger.book(seats(stalls, 3));
    await ledger.hold({ ...seats(stalls, 1), expiresAt: inAMinute() });

    await inTransaction((manager) => ledger.closeSales(manager, stalls.eventId, [stalls.categoryId], new Date()));

    expect(await counters(stalls)).toEqual({ seatsSold: 2, seatsHeld: 0, seatsLimit: 10, salesClosed: true });
    expect(await dataSource.getRepository(Booking).findBy({ eventId: stalls.eventId })).toEqual([expect.objectContaining({ status: BookingStatus.Cancelled })]);
    expect(await dataSource.getRepository(Hold).findBy({ eventId: stalls.eventId })).toEqual([expect.objectContaining({ status: HoldStatus.Released })]);
    expect(await dataSource.getRepository(Ticket).findBy({ eventId: stalls.eventId })).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ status: TicketStatus.Cancelled })));
    expect(await dataSource.getRepository(OrderLine).findBy({ eventId: stalls.eventId, state: LineState.Returned })).toHaveLength(2);
    await expect(ledger.book(seats(stalls, 1))).rejects.toMatchObject({ code: ErrorCode.EventCancelled });
  });
});

describe('SeatLedger orders of several categories', () => {
  it('sells every line in one booking, each priced and counted in its own category', async () => {
    const [stalls, circle] = await twoCategories(10, 10);

    const { booking, lines, tickets } = await ledger.book(order([circle, 2], [stalls, 1]));

    expect(booking).toMatchObject({ ticketCategoryId: null, unitPriceCents: null, quantity: 3, totalPriceCents: 2 * 3000 + 1999 });
    expect(lines.map((line) => [line.ticketCategoryId, line.quantity, line.totalPriceCents])).toEqual([
      [circle.categoryId, 2, 6000],
      [stalls.categoryId, 1, 1999],
    ]);
    expect(tickets).toHaveLength(3);
    expect([await counters(stalls), await counters(circle)]).toEqual([expect.objectContaining({ seatsSold: 1 }), expect.objectContaining({ seatsSold: 2 })]);
  });

  it('sells nothing when any line does not fit, answering for the first failing line', async () => {
    const [stalls, circle] = await twoCategories(10, 1);

    await expect(ledger.book(order([stalls, 2], [circle, 2]))).rejects.toMatchObject({ code: ErrorCode.InsufficientSeats, message: 'Only 1 seat left in "Circle"; 2 requested.' });

    expect([await counters(stalls), await counters(circle)]).toEqual([expect.objectContaining({ seatsSold: 0 }), expect.objectContaining({ seatsSold: 0 })]);
    expect(await dataSource.getRepository(Booking).countBy({ eventId: stalls.eventId })).toBe(0);
  });

  it('holds, confirms and cancels every line together', async () => {
    const [stalls, circle] = await twoCategories(10, 10);
    const { hold } = await ledger.hold({ ...order([stalls, 2], [circle, 3]), expiresAt: inAMinute() });
    expect([await counters(stalls), await counters(circle)]).toEqual([expect.objectContaining({ seatsHeld: 2 }), expect.objectContaining({ seatsHeld: 3 })]);

    const { bookingId } = await ledger.confirmHold(hold);
    expect([await counters(stalls), await counters(circle)]).toEqual([
      expect.objectContaining({ seatsHeld: 0, seatsSold: 2 }),
      expect.objectContaining({ seatsHeld: 0, seatsSold: 3 }),
    ]);
    expect(await ticketsOf(hold.reference)).toHaveLength(5);

    await ledger.returnSeats(await dataSource.getRepository(Booking).findOneByOrFail({ id: bookingId }));
    expect([await counters(stalls), await counters(circle)]).toEqual([expect.objectContaining({ seatsSold: 0 }), expect.objectContaining({ seatsSold: 0 })]);
  });

  it('expires a hold of several categories whole, each line returned when its own category is swept', async () => {
    const [stalls, circle] = await twoCategories(10, 10);
    const { hold } = await ledger.hold({ ...order([stalls, 2], [circle, 3]), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: hold.id }, { expiresAt: new Date(Date.now() - 1000) });

    expect(await ledger.expireOverdue(circle.categoryId, new Date())).toBe(3);
    expect(await dataSource.getRepository(Hold).findOneByOrFail({ id: hold.id })).toMatchObject({ status: HoldStatus.Expired });
    expect([await counters(stalls), await counters(circle)]).toEqual([expect.objectContaining({ seatsHeld: 2 }), expect.objectContaining({ seatsHeld: 0 })]);
    await expect(ledger.confirmHold(hold)).rejects.toMatchObject({ code: ErrorCode.HoldExpired });

    expect(await ledger.expireOverdue(stalls.categoryId, new Date())).toBe(2);
    expect((await linesOf(hold.reference)).map((line) => line.state)).toEqual([LineState.Returned, LineState.Returned]);
    expect(await counters(stalls)).toMatchObject({ seatsHeld: 0 });
  });

  it('releases every line of a hold, the ones a sweep already returned excepted', async () => {
    const [stalls, circle] = await twoCategories(10, 10);
    const { hold } = await ledger.hold({ ...order([stalls, 2], [circle, 3]), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: hold.id }, { expiresAt: new Date(Date.now() - 1000) });
    await ledger.expireOverdue(circle.categoryId, new Date());

    await ledger.releaseHold(hold);

    expect([await counters(stalls), await counters(circle)]).toEqual([expect.objectContaining({ seatsHeld: 0 }), expect.objectContaining({ seatsHeld: 0 })]);
    expect(await linesOf(hold.reference)).toEqual([]);
  });
});

describe('SeatLedger code uses', () => {
  /** A code of the category's event, inserted as the codes feature inserts one. */
  async function code(eventId: number, values: Partial<EventCode> = {}): Promise<EventCode> {
    const repository = dataSource.getRepository(EventCode);
    const { identifiers } = await repository.insert({
      eventId,
      code: `C${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
      kind: CodeKind.Discount,
      discountPercent: 50,
      discountAmountCents: null,
      maxUses: null,
      uses: 0,
      validFrom: null,
      validUntil: null,
      ticketCategoryIds: null,
      disabledAt: null,
      createdAt: new Date(),
      ...values,
    });
    return repository.findOneByOrFail({ id: Number(identifiers[0].id) });
  }

  const uses = async ({ id }: EventCode) => (await dataSource.getRepository(EventCode).findOneByOrFail({ id })).uses;
  const withCode = (order: SeatOrder, { id }: EventCode): SeatOrder => ({ ...order, code: { codeId: id, currency: 'EUR' } });

  it('counts a use with the sale, prices from the locked code, and stores what it took off', async () => {
    const stalls = await category(10);
    const half = await code(stalls.eventId);

    const { booking, lines } = await ledger.book(withCode(seats(stalls, 2), half));

    expect(await uses(half)).toBe(1);
    // 19.99 at 50 % off: 9.995 off, rounded half up to 10.00, so 9.99 paid.
    expect(booking).toMatchObject({ codeId: half.id, code: half.code, unitPriceCents: 999, totalPriceCents: 1998, discountTotalCents: 2000 });
    expect(lines).toEqual([expect.objectContaining({ unitPriceCents: 999, originalUnitPriceCents: 1999 })]);
  });

  it('refuses a code disabled since the order was checked, and one with no use left, writing nothing', async () => {
    const stalls = await category(10);
    const disabled = await code(stalls.eventId, { disabledAt: new Date() });
    const spent = await code(stalls.eventId, { maxUses: 1, uses: 1 });

    await expect(ledger.book(withCode(seats(stalls, 1), disabled))).rejects.toMatchObject({ code: ErrorCode.CodeNotValid });
    await expect(ledger.hold({ ...withCode(seats(stalls, 1), spent), expiresAt: inAMinute() })).rejects.toMatchObject({ code: ErrorCode.CodeExhausted });

    expect(await counters(stalls)).toMatchObject({ seatsSold: 0, seatsHeld: 0 });
    expect(await uses(spent)).toBe(1);
  });

  it('keeps a hold’s use through its confirmation and gives it back on the cancellation, once', async () => {
    const stalls = await category(10);
    const once = await code(stalls.eventId, { maxUses: 1 });
    const { hold } = await ledger.hold({ ...withCode(seats(stalls, 2), once), expiresAt: inAMinute() });
    const { bookingId } = await ledger.confirmHold(hold);
    expect(await uses(once)).toBe(1);
    expect(await dataSource.getRepository(Booking).findOneByOrFail({ id: bookingId })).toMatchObject({ codeId: once.id, discountTotalCents: 2000 });

    const booking = await dataSource.getRepository(Booking).findOneByOrFail({ id: bookingId });
    await ledger.returnSeats(booking);
    await ledger.returnSeats(Object.assign(new Booking(), { ...booking, status: BookingStatus.Confirmed }));

    expect(await uses(once)).toBe(0);
  });

  it('gives a hold’s use back once when both of its categories expire it, and not again on release', async () => {
    const [stalls, circle] = await twoCategories(10, 10);
    const twice = await code(stalls.eventId);
    const { hold } = await ledger.hold({ ...withCode(order([stalls, 1], [circle, 1]), twice), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: hold.id }, { expiresAt: new Date(Date.now() - 1000) });

    await Promise.all([ledger.expireOverdue(stalls.categoryId, new Date()), ledger.expireOverdue(circle.categoryId, new Date())]);
    await ledger.releaseHold(hold);

    expect(await uses(twice)).toBe(0);
  });

  it('gives every use of the event’s codes back when its sales close', async () => {
    const stalls = await category(10);
    const busy = await code(stalls.eventId);
    await ledger.book(withCode(seats(stalls, 1), busy));
    await ledger.hold({ ...withCode(seats(stalls, 1), busy), expiresAt: inAMinute() });

    await inTransaction((manager) => ledger.closeSales(manager, stalls.eventId, [stalls.categoryId], new Date()));

    expect(await uses(busy)).toBe(0);
  });
});

describe('what the ledger announces, in the transaction of the change (the outbox)', () => {
  /** What the ledger wrote: the event's own messages come from the organiser's side, not from here. */
  async function messagesOf(eventId: number): Promise<{ type: string; subject: string | null; data: Record<string, unknown> }[]> {
    const messages = await dataSource.getRepository(OutboxMessage).find({ where: { eventId }, order: { id: 'ASC' } });
    return messages.filter((message) => !message.type.startsWith('event.')).map((message) => ({ type: message.type, subject: message.subject, data: JSON.parse(message.data) as Record<string, unknown> }));
  }

  it('announces a sale with the id its booking got, and the last seat sold as category.sold_out', async () => {
    const stalls = await category(3);
    const first = await ledger.book(seats(stalls, 2));
    const last = await ledger.book(seats(stalls, 1));

    expect(await messagesOf(stalls.eventId)).toEqual([
      { type: 'booking.confirmed', subject: null, data: { id: first.booking.id, reference: first.booking.reference } },
      { type: 'booking.confirmed', subject: null, data: { id: last.booking.id, reference: last.booking.reference } },
      { type: 'category.sold_out', subject: null, data: { ticket_category: 'Stalls', seats_sold: 3 } },
    ]);
  });

  it('announces nothing of an order it refuses', async () => {
    const stalls = await category(1, 1);
    await expect(ledger.book(seats(stalls, 1))).rejects.toMatchObject({ code: ErrorCode.SoldOut });
    await expect(ledger.hold({ ...seats(stalls, 1), expiresAt: inAMinute() })).rejects.toMatchObject({ code: ErrorCode.SoldOut });

    expect(await messagesOf(stalls.eventId)).toEqual([]);
  });

  it('announces a hold, its release with the same JSON, and nothing for a release of a hold already gone', async () => {
    const stalls = await category(10);
    const { hold } = await ledger.hold({ ...seats(stalls, 2), expiresAt: inAMinute() });
    await ledger.releaseHold(hold);
    await expect(ledger.releaseHold(hold)).rejects.toMatchObject({ code: ErrorCode.HoldNotFound });

    const created = { reference: hold.reference };
    expect(await messagesOf(stalls.eventId)).toEqual([
      { type: 'hold.created', subject: hold.reference, data: created },
      { type: 'hold.released', subject: hold.reference, data: created },
    ]);
  });

  it('announces an expiry once, however many of the hold\'s categories expire it at once, and a confirmed hold as a booking', async () => {
    const [stalls, circle] = await twoCategories(10, 10);
    const { hold: overdue } = await ledger.hold({ ...order([stalls, 1], [circle, 1]), expiresAt: inAMinute() });
    const { hold: kept } = await ledger.hold({ ...seats(stalls, 1), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: overdue.id }, { expiresAt: new Date(Date.now() - 1000) });

    await Promise.all([ledger.expireOverdue(stalls.categoryId, new Date()), ledger.expireOverdue(circle.categoryId, new Date())]);
    const { bookingId } = await ledger.confirmHold(kept);

    expect((await messagesOf(stalls.eventId)).map(({ type, subject }) => [type, subject])).toEqual([
      ['hold.created', overdue.reference],
      ['hold.created', kept.reference],
      ['hold.expired', overdue.reference],
      ['booking.confirmed', null],
    ]);
    expect((await messagesOf(stalls.eventId))[3].data).toEqual({ id: bookingId, reference: kept.reference });
  });

  it('announces a cancellation once, with the tickets as they are after it', async () => {
    const stalls = await category(10);
    const { booking } = await ledger.book(seats(stalls, 2));
    await ledger.returnSeats(booking);
    await ledger.returnSeats(Object.assign(new Booking(), { ...booking, status: BookingStatus.Confirmed }));

    const cancellations = (await messagesOf(stalls.eventId)).filter((message) => message.type === 'booking.cancelled');
    expect(cancellations).toEqual([{ type: 'booking.cancelled', subject: null, data: { reference: booking.reference, tickets: [TicketStatus.Cancelled, TicketStatus.Cancelled] } }]);
  });
});
