import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/environment.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { call, createEventVia } from './support/api-client.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from './support/built-app.js';
import { checkAgainstDatabase, runMixedLoad, summarise } from './support/mixed-load.js';
import { createMigratedDatabase, dropDatabase } from './support/test-database.js';

const database = parseDatabaseUrl(process.env.DATABASE_URL);
const environment = { DATABASE_URL: process.env.DATABASE_URL ?? '', LOG_LEVEL: 'warn' };
const CATEGORIES = [
  { name: 'Floor', price: 40, seats_limit: 200, seats_sold: 3 },
  { name: 'Box', price: 90, seats_limit: 30 },
];
const KILL_AFTER_MS = 2_500;
let first: BuiltApp;
let restarted: BuiltApp | undefined;

beforeAll(async () => {
  ensureBuilt();
  await createMigratedDatabase(database);
  first = await startBuiltApp(environment);
}, 120_000);

afterAll(async () => {
  for (const app of [first, restarted]) if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  await dropDatabase(database);
});

describe('the app killed with SIGKILL mid-load, then restarted', () => {
  it('keeps every 201 in the database, leaves nothing half-written, and serves again', async () => {
    const eventId = await createEventVia(first.baseUrl, { ticket_categories: CATEGORIES });
    const killed = new Promise<number>((resolve) =>
      setTimeout(() => {
        first.child.kill('SIGKILL');
        resolve(Date.now());
      }, KILL_AFTER_MS),
    );
    const ledger = await runMixedLoad({
      baseUrls: [first.baseUrl],
      eventId,
      categories: CATEGORIES.map((category) => category.name),
      // More flows than fit before the kill on a fast machine: the kill, not the count, ends the load.
      flows: 200_000,
      concurrency: 16,
      maxDurationMs: 20_000,
      // Clients keep calling a little past the kill, so some requests surely meet the dead app even
      // when every request in flight at the kill happened to be answered first.
      stop: killed.then(() => sleep(300)),
    });
    await first.exited;
    restarted = await startBuiltApp(environment);

    const dataSource = await new DataSource(dataSourceOptions({ url: database, poolSize: 1 })).initialize();
    try {
      const report = await checkAgainstDatabase(dataSource, eventId, Object.fromEntries(CATEGORIES.map((c) => [c.name, c.seats_sold ?? 0])), ledger);
      console.log(JSON.stringify({ scenario: 'sigkill', ...summarise(ledger), invariant_checks: report.checks, bookings_in_database: report.bookingsInDatabase }));
      expect(ledger.unexpected).toEqual([]);
      expect(report.failures).toEqual([]);
      // Requests cut off by the kill may have committed without their answer reaching the client.
      expect(report.bookingsInDatabase).toBeGreaterThanOrEqual(ledger.created.length);
      expect(ledger.created.length).toBeGreaterThan(0);
      expect([...ledger.outcomes.keys()].some((key) => / (ECONNRESET|ECONNREFUSED|UND_ERR_SOCKET|TypeError)$/.test(key))).toBe(true);
    } finally {
      await dataSource.destroy();
    }

    const after = await call(restarted.baseUrl, 'POST', `/events/${eventId}/book`, { ticket_category: 'Floor', quantity: 1 });
    expect([201, 409]).toContain(after.status);
  }, 90_000);
});
