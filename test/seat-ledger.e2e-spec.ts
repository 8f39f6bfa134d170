import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '../src/common/error-code.js';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { Booking, BookingStatus } from '../src/inventory/booking.entity.js';
import { Hold, HoldStatus } from '../src/inventory/hold.entity.js';
import { SEAT_LEDGER, type SeatLedger, type SeatRequest } from '../src/inventory/seat-ledger.js';
import { TicketCategory } from '../src/inventory/ticket-category.entity.js';
import { createEvent } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The seat ledger's contract, against whichever adapter the database selects (SQLite here,
 * MySQL under npm run test:mysql): what each operation leaves in the tables.
 */
let testApp: TestApp;
let ledger: SeatLedger;
let dataSource: DataSource;

beforeAll(async () => {
  testApp = await createTestApp();
  ledger = testApp.app.get(SEAT_LEDGER);
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

function seats({ eventId, categoryId }: Category, quantity: number): SeatRequest {
  return { eventId, categoryId, quantity, buyer: { name: 'Ada', email: 'ada@example.com' } };
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

    const booking = await ledger.book(seats(stalls, 3));

    expect(await counters(stalls)).toMatchObject({ seatsSold: 7, seatsHeld: 0 });
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
    const hold = await ledger.hold({ ...seats(stalls, 2), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: hold.id }, { expiresAt: new Date(Date.now() - 1000) });

    await ledger.book(seats(stalls, 2));

    expect(await counters(stalls)).toMatchObject({ seatsSold: 2, seatsHeld: 0 });
    expect(await dataSource.getRepository(Hold).findOneByOrFail({ id: hold.id })).toMatchObject({ status: HoldStatus.Expired });
  });
});

describe('SeatLedger holds', () => {
  it('holds seats, then confirms them as a booking with the hold’s reference and price, once', async () => {
    const stalls = await category(5);
    const hold = await ledger.hold({ ...seats(stalls, 2), expiresAt: inAMinute() });
    expect(await counters(stalls)).toMatchObject({ seatsSold: 0, seatsHeld: 2 });
    await dataSource.getRepository(TicketCategory).update({ id: stalls.categoryId }, { priceCents: 9900 });

    const confirmed = await ledger.confirmHold(hold);
    const again = await ledger.confirmHold(hold);

    expect(confirmed.created).toBe(true);
    expect(again).toEqual({ bookingId: confirmed.bookingId, created: false });
    expect(await counters(stalls)).toMatchObject({ seatsSold: 2, seatsHeld: 0 });
    expect(await dataSource.getRepository(Booking).findOneByOrFail({ id: confirmed.bookingId })).toMatchObject({ reference: hold.reference, unitPriceCents: 1999 });
    expect(await dataSource.getRepository(Hold).findOneByOrFail({ id: hold.id })).toMatchObject({ status: HoldStatus.Confirmed, bookingId: confirmed.bookingId });
  });

  it('refuses to confirm an expired hold', async () => {
    const hold = await ledger.hold({ ...seats(await category(5), 1), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: hold.id }, { expiresAt: new Date(Date.now() - 1000) });
    await expect(ledger.confirmHold(hold)).rejects.toMatchObject({ code: ErrorCode.HoldExpired });
  });

  it('frees released seats at once, and will not release a confirmed hold', async () => {
    const stalls = await category(5);
    const released = await ledger.hold({ ...seats(stalls, 2), expiresAt: inAMinute() });
    const confirmed = await ledger.hold({ ...seats(stalls, 1), expiresAt: inAMinute() });
    await ledger.confirmHold(confirmed);

    await ledger.releaseHold(released);

    expect(await counters(stalls)).toMatchObject({ seatsSold: 1, seatsHeld: 0 });
    expect(await dataSource.getRepository(Hold).countBy({ id: released.id })).toBe(0);
    await expect(ledger.releaseHold(confirmed)).rejects.toMatchObject({ code: ErrorCode.HoldAlreadyConfirmed });
  });

  it('expires a category’s overdue holds and answers how many seats came back', async () => {
    const stalls = await category(5);
    const overdue = await ledger.hold({ ...seats(stalls, 3), expiresAt: inAMinute() });
    await ledger.hold({ ...seats(stalls, 1), expiresAt: inAMinute() });
    await dataSource.getRepository(Hold).update({ id: overdue.id }, { expiresAt: new Date(Date.now() - 1000) });

    expect(await ledger.expireOverdue(stalls.categoryId, new Date())).toBe(3);
    expect(await counters(stalls)).toMatchObject({ seatsHeld: 1 });
  });
});

describe('SeatLedger.returnSeats', () => {
  it('cancels the booking and returns its seats exactly once', async () => {
    const stalls = await category(5);
    const booking = await ledger.book(seats(stalls, 2));

    const cancelled = await ledger.returnSeats(booking);
    const again = await ledger.returnSeats(Object.assign(new Booking(), { ...booking, status: BookingStatus.Confirmed }));

    expect(cancelled).toMatchObject({ status: BookingStatus.Cancelled, cancelledAt: expect.any(Date) });
    expect(again.cancelledAt?.getTime()).toBe(cancelled.cancelledAt?.getTime());
    expect(await counters(stalls)).toMatchObject({ seatsSold: 0 });
  });
});

describe('SeatLedger organiser operations', () => {
  it('changes a limit only down to the seats sold and held, not counting overdue holds', async () => {
    const stalls = await category(10);
    await ledger.book(seats(stalls, 3));
    const overdue = await ledger.hold({ ...seats(stalls, 4), expiresAt: inAMinute() });
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
    await expect(ledger.book(seats(stalls, 1))).rejects.toMatchObject({ code: ErrorCode.EventCancelled });
  });
});
