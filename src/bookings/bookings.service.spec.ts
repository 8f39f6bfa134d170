import { jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { EntityManager, Repository } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { BusyTryAgainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import type { TransactionRunner } from '../database/transaction-runner.js';
import type { Event } from '../events/event.entity.js';
import type { EventsService } from '../events/events.service.js';
import { TicketCategory } from '../events/ticket-category.entity.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import { Booking, BookingStatus } from './booking.entity.js';
import { BookingsService } from './bookings.service.js';

const future = new Date(Date.now() + 86_400_000);

function setup(counts: { seatsSold: number; seatsHeld?: number }, coalescing: 'on' | 'off' = 'off') {
  const category = {
    id: 3,
    eventId: 1,
    name: 'General',
    nameKey: 'general',
    priceCents: 1999,
    seatsLimit: 10,
    seatsHeld: 0,
    maxPerBooking: null,
    ...counts,
  } as TicketCategory;
  const event = { id: 1, date: future, ticketCategories: [category] } as Event;
  const updates: unknown[] = [];
  const multiRowInserts: { customerName: string | null }[][] = [];
  let inserting = false;
  const updateBuilder = {
    update: () => updateBuilder,
    set: (values: unknown) => {
      updates.push(values);
      return updateBuilder;
    },
    where: () => updateBuilder,
    insert: () => {
      inserting = true;
      return updateBuilder;
    },
    into: () => updateBuilder,
    values: (rows: { customerName: string | null }[]) => {
      multiRowInserts.push(rows);
      return updateBuilder;
    },
    updateEntity: () => updateBuilder,
    execute: jest.fn(async () => {
      const wasInsert = inserting;
      inserting = false;
      // A row the database refuses (say, a value it cannot store) fails the whole statement.
      if (wasInsert && multiRowInserts.at(-1)?.some((row) => row.customerName === 'unstorable')) {
        multiRowInserts.pop();
        throw new Error('Incorrect string value');
      }
    }),
  };
  let nextId = 42;
  const storedReferences: { id: number; reference: string }[] = [];
  const manager = {
    findOneOrFail: jest.fn(async () => ({ ...category })),
    createQueryBuilder: jest.fn(() => updateBuilder),
    create: jest.fn((_entity: unknown, values: object) => ({ ...values })),
    insert: jest.fn(async (_entity: unknown, values: { id?: number; customerName: string | null }) => {
      if (values.customerName === 'unstorable') throw new Error('Incorrect string value');
      values.id = nextId++;
    }),
  };
  // Lets a test keep the first transaction open, so that later requests queue behind it.
  let gate: Promise<void> = Promise.resolve();
  const events = { findOne: jest.fn(async () => event) } as unknown as EventsService;
  const transactions = {
    writeLock: 'pessimistic_write',
    run: jest.fn(async (work: (manager: EntityManager) => Promise<unknown>) => {
      await gate;
      const result = await work(manager as unknown as EntityManager);
      for (const rows of multiRowInserts.splice(0)) {
        for (const row of rows as unknown as { reference: string }[]) storedReferences.push({ id: nextId++, reference: row.reference });
      }
      return result;
    }),
  } as unknown as TransactionRunner;
  const metrics = { recordBooking: jest.fn() };
  const bookings = { find: jest.fn(async () => storedReferences) } as unknown as Repository<Booking>;
  const config = { get: () => coalescing } as unknown as ConfigService<Environment, true>;
  const service = new BookingsService(bookings, events, transactions, metrics as unknown as MetricsService, config);
  const hold = () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    return () => open();
  };
  return { service, manager, updates, metrics, transactions, hold, updateBuilder };
}

describe('BookingsService.book', () => {
  it('locks the category, counts the seats as sold and inserts a confirmed booking priced from the locked row', async () => {
    const { service, manager, updates, metrics } = setup({ seatsSold: 4 });

    const booking = await service.book(1, { ticket_category: 'GENERAL', quantity: 3 });

    expect(manager.findOneOrFail).toHaveBeenCalledWith(
      TicketCategory,
      expect.objectContaining({ where: { id: 3 }, lock: { mode: 'pessimistic_write' } }),
    );
    expect(updates).toHaveLength(1);
    expect(manager.insert).toHaveBeenCalledWith(
      Booking,
      expect.objectContaining({ quantity: 3, unitPriceCents: 1999, totalPriceCents: 5997, status: BookingStatus.Confirmed }),
    );
    expect(booking.id).toBe(42);
    expect(booking.reference).toMatch(/^[0-9A-Z]{12}$/);
    expect(booking.ticketCategory.name).toBe('General');
    expect(metrics.recordBooking).toHaveBeenCalledWith('created');
  });

  it('writes nothing when the locked row has too few seats left', async () => {
    const { service, manager, updates, metrics } = setup({ seatsSold: 9 });

    await expect(service.book(1, { ticket_category: 'General', quantity: 2 })).rejects.toMatchObject({ code: ErrorCode.InsufficientSeats });
    expect(updates).toEqual([]);
    expect(manager.insert).not.toHaveBeenCalled();
    expect(metrics.recordBooking).toHaveBeenCalledWith('insufficient_seats');
  });

  it('does not open a transaction for a category the event does not have', async () => {
    const { service, manager } = setup({ seatsSold: 0 });

    await expect(service.book(1, { ticket_category: 'Balcony', quantity: 1 })).rejects.toMatchObject({ code: ErrorCode.TicketCategoryNotFound });
    expect(manager.findOneOrFail).not.toHaveBeenCalled();
  });
});

describe('BookingsService.book with coalescing on', () => {
  /** The first request takes the category alone; while its transaction is held open, the rest queue. */
  async function burst(service: BookingsService, hold: () => () => void, dtos: { quantity: number; customer_name?: string }[]) {
    const release = hold();
    const first = service.book(1, { ticket_category: 'General', quantity: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    const rest = dtos.map((dto) => service.book(1, { ticket_category: 'General', ...dto }).catch((error: unknown) => error));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await first;
    return Promise.all(rest);
  }

  it('books requests that queued behind a running transaction in one more transaction: one lock, one UPDATE, one INSERT', async () => {
    const { service, manager, updates, transactions, hold } = setup({ seatsSold: 0 }, 'on');

    const results = (await burst(service, hold, [{ quantity: 2 }, { quantity: 3 }, { quantity: 1 }])) as Booking[];

    expect(transactions.run).toHaveBeenCalledTimes(2);
    expect(manager.findOneOrFail).toHaveBeenCalledTimes(2);
    expect(updates).toHaveLength(2);
    expect(updates[1]).toEqual({ seatsSold: expect.any(Function), seatsHeld: expect.any(Function) });
    expect(results.map((booking) => booking.quantity)).toEqual([2, 3, 1]);
    expect(new Set(results.map((booking) => booking.reference)).size).toBe(3);
    expect(results.map((booking) => booking.id)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(results.every((booking) => booking.ticketCategory.name === 'General')).toBe(true);
  });

  it('refuses only the request that does not fit, in arrival order, while the others in the batch succeed', async () => {
    // 10 seats, 4 sold (the mocked row does not remember the first request's seat): 6 left for 4, 3, 2.
    const { service, metrics, hold } = setup({ seatsSold: 4 }, 'on');

    const [four, three, two] = await burst(service, hold, [{ quantity: 4 }, { quantity: 3 }, { quantity: 2 }]);

    expect(four).toMatchObject({ quantity: 4, status: BookingStatus.Confirmed });
    expect(three).toMatchObject({ code: ErrorCode.InsufficientSeats, message: 'Only 2 seats left in "General"; 3 requested.' });
    expect(two).toMatchObject({ quantity: 2, status: BookingStatus.Confirmed });
    expect(metrics.recordBooking).toHaveBeenCalledWith('insufficient_seats');
  });

  it("retries each request on its own when the batch fails, so one request's bad data does not fail its neighbours", async () => {
    const { service, transactions, hold } = setup({ seatsSold: 0 }, 'on');

    const [good, bad, alsoGood] = await burst(service, hold, [
      { quantity: 1, customer_name: 'Ada' },
      { quantity: 1, customer_name: 'unstorable' },
      { quantity: 1, customer_name: 'Grace' },
    ]);

    expect(good).toMatchObject({ customerName: 'Ada', status: BookingStatus.Confirmed });
    expect(bad).toMatchObject({ message: 'Incorrect string value' });
    expect(alsoGood).toMatchObject({ customerName: 'Grace', status: BookingStatus.Confirmed });
    // The first alone, the failed batch, then each of the three again.
    expect(transactions.run).toHaveBeenCalledTimes(5);
  });

  it('answers every request of a batch 503 BUSY_TRY_AGAIN when the category stays locked', async () => {
    const { service, transactions, hold } = setup({ seatsSold: 0 }, 'on');
    const run = transactions.run as jest.Mock<(work: unknown) => Promise<unknown>>;
    const real = run.getMockImplementation()!;
    run.mockImplementation(async (work) => {
      if (run.mock.calls.length > 1) throw new BusyTryAgainError();
      return real(work);
    });

    const results = await burst(service, hold, [{ quantity: 1 }, { quantity: 2 }]);

    expect(results).toEqual([expect.objectContaining({ code: ErrorCode.BusyTryAgain }), expect.objectContaining({ code: ErrorCode.BusyTryAgain })]);
    expect(run).toHaveBeenCalledTimes(2);
  });
});
