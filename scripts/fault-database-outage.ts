/**
 * Fault: the database stops mid-load and comes back.
 * Starts a MariaDB of its own (own data directory and port) and the built app on it, books
 * continuously, shuts the database down, starts it again, and checks: requests during the outage
 * fail fast with 503 DATABASE_UNAVAILABLE, readiness reports 503, the service recovers by itself
 * within 5 s of the database returning, every 201 is in the database and the counters match.
 *
 *   npm run fault:database-outage
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/environment.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { call, createEventVia } from '../test/support/api-client.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from '../test/support/built-app.js';
import { checkAgainstDatabase, newLedger, percentile, runMixedLoad, summarise } from '../test/support/mixed-load.js';
import { OwnMariaDb } from './support/own-mariadb.js';
import { verdict } from './support/verdict.js';

const LOAD_BEFORE_MS = 4_000;
const OUTAGE_MS = 6_000;
const LOAD_AFTER_MS = 6_000;
const FAIL_FAST_MS = 2_500;
const RECOVERY_BOUND_MS = 5_000;
const CATEGORIES = [
  { name: 'Floor', price: 40, seats_limit: 20_000 },
  { name: 'Box', price: 90, seats_limit: 400 },
];

async function main(): Promise<void> {
  ensureBuilt();
  const database = await OwnMariaDb.create();
  let app: BuiltApp | undefined;
  try {
    await database.query('CREATE DATABASE ticketing_test_outage CHARACTER SET utf8mb4');
    const url = `${database.url}/ticketing_test_outage`;
    app = await startBuiltApp({ DATABASE_URL: url, LOG_LEVEL: 'fatal' });
    const baseUrl = app.baseUrl;
    const eventId = await createEventVia(baseUrl, { ticket_categories: CATEGORIES });

    let stopLoad!: () => void;
    const loadStopped = new Promise<void>((resolve) => (stopLoad = resolve));
    const ledger = newLedger();
    const load = runMixedLoad(
      { baseUrls: [baseUrl], eventId, categories: CATEGORIES.map((c) => c.name), flows: 1_000_000, concurrency: 8, maxDurationMs: 60_000, stop: loadStopped },
      ledger,
    );
    const readiness: { at: number; status: number; ms: number }[] = [];
    const probing = (async () => {
      let done = false;
      void loadStopped.then(() => (done = true));
      while (!done) {
        const answer = await call(baseUrl, 'GET', '/health/ready');
        readiness.push({ at: Date.now(), status: answer.status, ms: answer.ms });
        await sleep(100);
      }
    })();

    await sleep(LOAD_BEFORE_MS);
    const stopRequestedAt = Date.now();
    await database.stop();
    const downAt = Date.now();
    await sleep(OUTAGE_MS);
    const backAt = await database.start();
    await sleep(LOAD_AFTER_MS);
    stopLoad();
    await Promise.all([load, probing]);

    const duringOutage = ledger.timeline.filter((entry) => entry.startedAt >= downAt && entry.endedAt <= backAt);
    const outageLatencies = duringOutage.map((entry) => entry.endedAt - entry.startedAt);
    const firstBookingAfter = ledger.timeline.find((entry) => entry.startedAt >= backAt && entry.status === 201 && (entry.kind === 'book' || entry.kind === 'confirm'));
    const firstReadyAfter = readiness.find((probe) => probe.at >= backAt && probe.status === 200);
    const readyDuringOutage = readiness.filter((probe) => probe.at >= downAt + 1_000 && probe.at <= backAt);

    const dataSource = await new DataSource(dataSourceOptions({ url: parseDatabaseUrl(url), poolSize: 1 })).initialize();
    const report = await checkAgainstDatabase(dataSource, eventId, { Floor: 0, Box: 0 }, ledger);
    await dataSource.destroy();

    const recoveryMs = Math.max(firstBookingAfter?.endedAt ?? Infinity, firstReadyAfter?.at ?? Infinity) - backAt;
    const figures = {
      scenario: 'database-outage',
      shutdown_took_ms: downAt - stopRequestedAt,
      outage_ms: backAt - downAt,
      ...summarise(ledger),
      during_outage: {
        requests: duringOutage.length,
        answers: countBy(duringOutage.map((entry) => `${entry.status} ${entry.label}`)),
        max_ms: Math.round(Math.max(0, ...outageLatencies)),
        p99_ms: Math.round(percentile(outageLatencies, 0.99)),
        readiness: countBy(readyDuringOutage.map((probe) => String(probe.status))),
      },
      recovery_ms: recoveryMs,
      first_booking_after_ms: firstBookingAfter ? firstBookingAfter.endedAt - backAt : null,
      first_ready_after_ms: firstReadyAfter ? firstReadyAfter.at - backAt : null,
      invariant_checks: report.checks,
      bookings_in_database: report.bookingsInDatabase,
    };
    console.log(JSON.stringify(figures, null, 2));

    verdict([
      [duringOutage.length > 0, 'requests were sent during the outage'],
      [duringOutage.every((entry) => entry.status === 503 && entry.label === 'DATABASE_UNAVAILABLE'), 'every request during the outage answered 503 DATABASE_UNAVAILABLE'],
      [Math.max(0, ...outageLatencies) <= FAIL_FAST_MS, `every request during the outage answered within ${FAIL_FAST_MS} ms`],
      [readyDuringOutage.length > 0 && readyDuringOutage.every((probe) => probe.status === 503), 'readiness reported 503 during the outage'],
      [recoveryMs <= RECOVERY_BOUND_MS, `bookings and readiness recovered within ${RECOVERY_BOUND_MS} ms of the database returning`],
      [ledger.unexpected.length === 0, 'no answer outside the contract (no 500, every error in the error shape)'],
      [report.failures.length === 0, `every 201 is in the database and the counters match the rows (${report.failures.join('; ')})`],
      [report.bookingsInDatabase >= ledger.created.length, 'no more 201s than bookings in the database'],
    ]);
  } finally {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
    await database.destroy();
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

await main();
