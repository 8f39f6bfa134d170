import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/environment.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { createEventVia } from './support/api-client.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from './support/built-app.js';
import { checkAgainstDatabase, runMixedLoad, summarise } from './support/mixed-load.js';
import { createDatabase, dropDatabase } from './support/test-database.js';

/**
 * Scaling out: stateless instances behind a load balancer, correctness kept by the database's row
 * locks. Several processes cannot share an SQLite file's single writer, so this runs on MySQL only.
 */
const describeOnMysql = process.env.TEST_DATABASE === 'mysql' ? describe : describe.skip;
const INSTANCES = 3;
const HOT = [
  { name: 'Floor', price: 40, seats_limit: 120, seats_sold: 10 },
  { name: 'Balcony', price: 25, seats_limit: 60 },
  { name: 'Box', price: 90, seats_limit: 15 },
];

describeOnMysql(`${INSTANCES} instances on one database`, () => {
  const database = parseDatabaseUrl(process.env.DATABASE_URL);
  const apps: BuiltApp[] = [];
  let dataSource: DataSource;

  beforeAll(async () => {
    ensureBuilt();
    await createDatabase(database);
    // Started together, as an orchestrator would: migrations run under a named lock.
    apps.push(...(await Promise.all(Array.from({ length: INSTANCES }, () => startBuiltApp({ DATABASE_URL: process.env.DATABASE_URL ?? '', LOG_LEVEL: 'warn' })))));
    dataSource = await new DataSource(dataSourceOptions({ url: database, poolSize: 1 })).initialize();
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) if (app.child.exitCode === null) app.child.kill('SIGKILL');
    await dataSource?.destroy();
    await dropDatabase(database);
  });

  it('sell no seat twice under a round-robin burst of books, holds, confirms, releases and cancels, and store exactly the 201s', async () => {
    const eventId = await createEventVia(apps[0].baseUrl, { ticket_categories: HOT });
    const ledger = await runMixedLoad({
      baseUrls: apps.map((app) => app.baseUrl),
      eventId,
      categories: HOT.map((category) => category.name),
      flows: 400,
      concurrency: 24,
      maxDurationMs: 60_000,
      seed: 20261129,
    });
    const report = await checkAgainstDatabase(dataSource, eventId, Object.fromEntries(HOT.map((c) => [c.name, c.seats_sold ?? 0])), ledger);
    console.log(JSON.stringify({ scenario: 'multi-instance', instances: INSTANCES, ...summarise(ledger), invariant_checks: report.checks, bookings_in_database: report.bookingsInDatabase }));

    expect(ledger.unexpected).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.bookingsInDatabase).toBe(ledger.created.length);
    // The burst oversubscribes the categories, so the locks were really contended.
    expect([...ledger.outcomes.keys()].some((key) => key.endsWith('SOLD_OUT') || key.endsWith('INSUFFICIENT_SEATS'))).toBe(true);
    for (const app of apps) expect(app.child.exitCode).toBeNull();
  }, 90_000);
});
