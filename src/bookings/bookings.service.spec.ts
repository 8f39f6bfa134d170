import { jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { BusyTryAgainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import type { Environment } from '../config/environment.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { runMigrations } from '../database/run-migrations.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { Event, EventStatus } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { TicketCategory } from '../events/ticket-category.entity.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import { Booking, BookingStatus } from './booking.entity.js';
import { Hold } from './hold.entity.js';
import { BookingsService } from './bookings.service.js';

const future = new Date(Date.now() + 86_400_000);

/** Every statement the service sends, as TypeORM logs it. */
function recordingLogger(statements: string[]): TypeOrmLogger {
  return {
    logQuery: (query) => void statements.push(query),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
}

/**
 * The service on a real in-memory SQLite database with one event of one category (10 seats,
 * 19.99 each), so that what is asserted is what the database ends up holding.
 */
async function setup(seatsSold: number, coalescing: 'on' | 'off' = 'off') {
  const statements: string[] = [];
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: { kind: 'sqlite', path: ':memory:' }, poolSize: 2, entities: [Event, TicketCategory, Booking, Hold] }),
    logging: ['query'],
    logger: recordingLogger(statements),
  });
  await dataSource.initialize();
  await runMigrations(dataSource);
  // A value the database refuses fails the whole statement it is in, as a bad row of a multi-row INSERT would.
  await dataSource.query(
    "CREATE TRIGGER refuse_unstorable BEFORE INSERT ON bookings WHEN NEW.customer_name = 'unstorable' BEGIN SELECT RAISE(ABORT, 'Incorrect string value'); END",
  );
  const event = await dataSource.getRepository(Event).save({
    name: 'Concert',
    venue: 'Hall',
    details: null,
    date: future,
    createdAt: new Date(),
    organizerId: null,
    status: EventStatus.Scheduled,
    cancelledAt: null,
    ticketCategories: [
      { name: 'General', nameKey: 'general', priceCents: 1999, seatsLimit: 10, seatsSold, seatsHeld: 0, maxPerBooking: null, salesClosed: false },
    ],
  });
  const settings = { BOOKING_COALESCING: coalescing, LOCK_WAIT_TIMEOUT_SECONDS: 5 } as Record<string, unknown>;
  const config = { get: (key: string) => settings[key] } as unknown as ConfigService<Environment, true>;
  const metrics = { recordBooking: jest.fn(), recordLockRetry: jest.fn() };
  const transactions = new TransactionRunner(dataSource, config, metrics as unknown as MetricsService);
  // Lets a test keep the next transaction from starting, so that later requests queue behind it.
  let gate: Promise<void> = Promise.resolve();
  const runTransaction = transactions.run.bind(transactions);
  const run = jest.spyOn(transactions, 'run').mockImplementation(async (work) => {
    await gate;
    return runTransaction(work);
  });
  const events = new EventsService(dataSource.getRepository(Event), dataSource.getRepository(TicketCategory), transactions);
  const service = new BookingsService(dataSource.getRepository(Booking), events, transactions, metrics as unknown as MetricsService, config);
  const hold = () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    return () => open();
  };
  const counted = (pattern: RegExp) => statements.filter((statement) => pattern.test(statement)).length;
  const stored = async () => ({
    category: await dataSource.getRepository(TicketCategory).findOneByOrFail({ eventId: event.id }),
    bookings: await dataSource.getRepository(Booking).find({ order: { id: 'ASC' } }),
  });
  return {
    service,
    eventId: event.id,
    metrics,
    run,
    hold,
    stored,
    locks: () => counted(/^SELECT .* FROM "ticket_categories" "category" WHERE "category"\."id" = /),
    counterUpdates: () => counted(/^UPDATE "ticket_categories"/),
    inserts: () => counted(/^INSERT INTO "bookings"/),
    eventReads: () => counted(/FROM "events" "event" LEFT JOIN "ticket_categories"/),
    close: () => dataSource.destroy(),
  };
}

type Setup = Awaited<ReturnType<typeof setup>>;
let current: Setup | undefined;

afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function started(seatsSold: number, coalescing: 'on' | 'off' = 'off'): Promise<Setup> {
  current = await setup(seatsSold, coalescing);
  return current;
}

describe('BookingsService.book', () => {
  it('locks the category, counts the seats as sold and inserts a confirmed booking priced from the locked row', async () => {
    const { service, eventId, metrics, stored, locks, counterUpdates, inserts } = await started(4);

    const booking = await service.book(eventId, { ticket_category: 'GENERAL', quantity: 3 });

    expect([locks(), counterUpdates(), inserts()]).toEqual([1, 1, 1]);
    const { category, bookings } = await stored();
    expect(category.seatsSold).toBe(7);
    expect(bookings).toEqual([
      expect.objectContaining({ id: booking.id, quantity: 3, unitPriceCents: 1999, totalPriceCents: 5997, status: BookingStatus.Confirmed }),
    ]);
    expect(booking.reference).toMatch(/^[0-9A-Z]{12}$/);
    expect(booking.ticketCategory.name).toBe('General');
    expect(metrics.recordBooking).toHaveBeenCalledWith('created');
  });

  it('writes nothing when the locked row has too few seats left', async () => {
    const { service, eventId, metrics, stored, counterUpdates, inserts } = await started(9);

    await expect(service.book(eventId, { ticket_category: 'General', quantity: 2 })).rejects.toMatchObject({ code: ErrorCode.InsufficientSeats });
    expect([counterUpdates(), inserts()]).toEqual([0, 0]);
    expect((await stored()).category.seatsSold).toBe(9);
    expect(metrics.recordBooking).toHaveBeenCalledWith('insufficient_seats');
  });

  it('does not open a transaction for a category the event does not have', async () => {
    const { service, eventId, run, locks } = await started(0);

    await expect(service.book(eventId, { ticket_category: 'Balcony', quantity: 1 })).rejects.toMatchObject({ code: ErrorCode.TicketCategoryNotFound });
    expect(run).not.toHaveBeenCalled();
    expect(locks()).toBe(0);
  });
});

describe('BookingsService.book with coalescing on', () => {
  /** The first request takes the category alone; while its transaction is held back, the rest queue. */
  async function burst(setup: Setup, dtos: { quantity: number; customer_name?: string }[]) {
    const release = setup.hold();
    const first = setup.service.book(setup.eventId, { ticket_category: 'General', quantity: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const rest = dtos.map((dto) => setup.service.book(setup.eventId, { ticket_category: 'General', ...dto }).catch((error: unknown) => error));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await first;
    return Promise.all(rest);
  }

  it('books requests that queued behind a running transaction in one more transaction: one lock, one UPDATE, one INSERT', async () => {
    const setup = await started(0, 'on');

    const results = (await burst(setup, [{ quantity: 2 }, { quantity: 3 }, { quantity: 1 }])) as Booking[];

    expect(setup.run).toHaveBeenCalledTimes(2);
    expect([setup.locks(), setup.counterUpdates(), setup.inserts()]).toEqual([2, 2, 2]);
    expect(results.map((booking) => booking.quantity)).toEqual([2, 3, 1]);
    expect(results.every((booking) => booking.ticketCategory.name === 'General')).toBe(true);
    const { category, bookings } = await setup.stored();
    expect(category.seatsSold).toBe(7);
    // Each answer carries the id and reference of its own stored row.
    expect(results.map((booking) => [booking.id, booking.reference])).toEqual(bookings.slice(1).map((row) => [row.id, row.reference]));
  });

  it('refuses only the request that does not fit, in arrival order, while the others in the batch succeed', async () => {
    // 10 seats, 4 sold, 1 more by the first request: 5 left for 3, 4, 2.
    const setup = await started(4, 'on');

    const [three, four, two] = await burst(setup, [{ quantity: 3 }, { quantity: 4 }, { quantity: 2 }]);

    expect(three).toMatchObject({ quantity: 3, status: BookingStatus.Confirmed });
    expect(four).toMatchObject({ code: ErrorCode.InsufficientSeats, message: 'Only 2 seats left in "General"; 4 requested.' });
    expect(two).toMatchObject({ quantity: 2, status: BookingStatus.Confirmed });
    expect(setup.metrics.recordBooking).toHaveBeenCalledWith('insufficient_seats');
    const { category, bookings } = await setup.stored();
    expect(category.seatsSold).toBe(10);
    expect(bookings.map((booking) => booking.quantity)).toEqual([1, 3, 2]);
  });

  it("retries each request on its own when the batch fails, so one request's bad data does not fail its neighbours", async () => {
    const setup = await started(0, 'on');

    const [good, bad, alsoGood] = await burst(setup, [
      { quantity: 1, customer_name: 'Ada' },
      { quantity: 1, customer_name: 'unstorable' },
      { quantity: 1, customer_name: 'Grace' },
    ]);

    expect(good).toMatchObject({ customerName: 'Ada', status: BookingStatus.Confirmed });
    expect(bad).toMatchObject({ message: expect.stringContaining('Incorrect string value') });
    expect(alsoGood).toMatchObject({ customerName: 'Grace', status: BookingStatus.Confirmed });
    // The first alone, the failed batch, then each of the three again.
    expect(setup.run).toHaveBeenCalledTimes(5);
    const { category, bookings } = await setup.stored();
    expect(category.seatsSold).toBe(3);
    expect(bookings.map((booking) => booking.customerName)).toEqual([null, 'Ada', 'Grace']);
  });

  it('answers every request of a batch 503 BUSY_TRY_AGAIN when the category stays locked', async () => {
    const setup = await started(0, 'on');
    const queued = setup.run.getMockImplementation()!;
    setup.run.mockImplementation(async (work) => {
      if (setup.run.mock.calls.length > 1) throw new BusyTryAgainError();
      return queued(work);
    });

    const results = await burst(setup, [{ quantity: 1 }, { quantity: 2 }]);

    expect(results).toEqual([expect.objectContaining({ code: ErrorCode.BusyTryAgain }), expect.objectContaining({ code: ErrorCode.BusyTryAgain })]);
    expect(setup.run).toHaveBeenCalledTimes(2);
    expect((await setup.stored()).category.seatsSold).toBe(1);
  });

  it('validates buyers of one event who arrive together against one shared read, and still sells each seat once', async () => {
    const setup = await started(0, 'on');

    const results = await Promise.all(
      Array.from({ length: 20 }, () => setup.service.book(setup.eventId, { ticket_category: 'General', quantity: 1 }).catch((error: unknown) => error)),
    );

    // The first buyer's read, then one read for the 19 who arrived while it ran.
    expect(setup.eventReads()).toBe(2);
    expect(results.filter((result) => result instanceof Booking)).toHaveLength(10);
    expect(results.filter((result) => !(result instanceof Booking))).toEqual(Array.from({ length: 10 }, () => expect.objectContaining({ code: ErrorCode.SoldOut })));
    expect((await setup.stored()).category.seatsSold).toBe(10);
  });
});
