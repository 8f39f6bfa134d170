import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/environment.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { Hold } from '../src/inventory/hold.entity.js';
import { OrderLine } from '../src/inventory/order-line.entity.js';
import { TicketCategory } from '../src/inventory/ticket-category.entity.js';
import { WaitlistEntry, WaitlistStatus } from '../src/inventory/waitlist-entry.entity.js';
import { OutboxMessage } from '../src/outbox/outbox-message.entity.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from './support/built-app.js';
import { createMigratedDatabase, dropDatabase } from './support/test-database.js';
import { arrivalOrderViolations, FREED_SEATS, RACE, raceState, runWaitlistRace } from './support/waitlist-race.js';

/**
 * The waiting list's race spread over three instances, each sweeping expired holds every second:
 * the offers are decided under the primary's row locks, whichever instance frees the seats.
 * Several processes cannot share an SQLite file's single writer, so this runs on MySQL only.
 */
const describeOnMysql = process.env.TEST_DATABASE === 'mysql' ? describe : describe.skip;
const INSTANCES = 3;

describeOnMysql(`the waiting list on ${INSTANCES} instances`, () => {
  const database = parseDatabaseUrl(process.env.DATABASE_URL);
  const apps: BuiltApp[] = [];
  let dataSource: DataSource;

  beforeAll(async () => {
    ensureBuilt();
    await createMigratedDatabase(database);
    const environment = { DATABASE_URL: process.env.DATABASE_URL ?? '', LOG_LEVEL: 'warn', HOLD_SWEEP_INTERVAL_SECONDS: '1', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' };
    apps.push(...(await Promise.all(Array.from({ length: INSTANCES }, () => startBuiltApp(environment)))));
    dataSource = await new DataSource(dataSourceOptions({ url: database, poolSize: 1, entities: [TicketCategory, Hold, OrderLine, WaitlistEntry, OutboxMessage] })).initialize();
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) if (app.child.exitCode === null) app.child.kill('SIGKILL');
    await dataSource?.destroy();
    await dropDatabase(database);
  });

  it('hands every freed seat to the earliest fitting entries, none to the public, with counts exact', async () => {
    const outcome = await runWaitlistRace({ baseUrls: apps.map((app) => app.baseUrl), dataSource });

    expect(outcome.organiserAnswers.map((answer) => answer.status)).toEqual([...Array<number>(RACE.cancelled).fill(200), ...Array<number>(RACE.released).fill(204)]);
    expect(outcome.publicAnswers.map((answer) => `${answer.status} ${String(answer.body.code)}`)).toEqual(Array(RACE.publicBookings + RACE.publicHolds).fill('409 SOLD_OUT'));
    const state = await raceState(dataSource, outcome.eventId);
    const offered = state.entries.filter((entry) => entry.status === WaitlistStatus.Offered);
    expect(offered.reduce((seats, entry) => seats + entry.quantity, 0)).toBe(FREED_SEATS);
    expect(arrivalOrderViolations(state.entries)).toEqual([]);
    expect(new Set(offered.map((entry) => entry.holdReference)).size).toBe(offered.length);
    expect([...state.offeredMessages].sort()).toEqual(offered.map((entry) => entry.reference).sort());
    expect(state.category).toMatchObject({ seatsLimit: RACE.seats, seatsSold: state.soldSeats, seatsHeld: state.heldSeats });
    expect(state.category.seatsSold + state.category.seatsHeld).toBe(RACE.seats);
    for (const app of apps) expect(app.child.exitCode).toBeNull();
  }, 90_000);
});
