/**
 * Fault: lock contention beyond limits. A long-running transaction holds a hot category's row
 * lock; bookings and holds of that category must answer 503 BUSY_TRY_AGAIN with Retry-After
 * within the lock-wait bound (never hang, never 500, never change a counter), and succeed once
 * the row is free. Starts a MariaDB of its own and the built app on it.
 *
 *   npm run fault:lock-contention
 */
import { createConnection } from 'mysql2/promise';
import { call, createEventVia } from '../test/support/api-client.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from '../test/support/built-app.js';
import { OwnMariaDb } from './support/own-mariadb.js';
import { verdict } from './support/verdict.js';

const LOCK_WAIT_TIMEOUT_SECONDS = 2;
const POOL_SIZE = 10;
/** Two more than the pool: the bound holds for those waiting for a connection too. */
const BLOCKED_REQUESTS = POOL_SIZE + 2;
const MARGIN_MS = 1_500;

async function main(): Promise<void> {
  ensureBuilt();
  const database = await OwnMariaDb.create();
  let app: BuiltApp | undefined;
  try {
    await database.query('CREATE DATABASE ticketing_test_locks CHARACTER SET utf8mb4');
    app = await startBuiltApp({
      DATABASE_URL: `${database.url}/ticketing_test_locks`,
      LOG_LEVEL: 'fatal',
      LOCK_WAIT_TIMEOUT_SECONDS: String(LOCK_WAIT_TIMEOUT_SECONDS),
      DATABASE_POOL_SIZE: String(POOL_SIZE),
    });
    const baseUrl = app.baseUrl;
    const eventId = await createEventVia(baseUrl, { ticket_categories: [{ name: 'Hot', price: 10, seats_limit: 100 }] });
    const blocker = await createConnection({ host: '127.0.0.1', port: database.port, user: 'root', database: 'ticketing_test_locks' });
    const soldOf = async () => {
      const [rows] = await blocker.query('SELECT seats_sold, seats_held FROM ticket_categories WHERE event_id = ?', [eventId]);
      const [row] = rows as { seats_sold: number; seats_held: number }[];
      return row.seats_sold + row.seats_held;
    };

    await blocker.query('START TRANSACTION');
    await blocker.query('SELECT id FROM ticket_categories WHERE event_id = ? FOR UPDATE', [eventId]);
    const body = { ticket_category: 'Hot', quantity: 1 };
    const blocked = await Promise.all(
      Array.from({ length: BLOCKED_REQUESTS }, (_, index) => call(baseUrl, 'POST', `/events/${eventId}/${index % 2 === 0 ? 'book' : 'holds'}`, body)),
    );
    const takenWhileLocked = await blocker.query('SELECT 1').then(soldOf);
    await blocker.query('ROLLBACK');
    const freed = await Promise.all(Array.from({ length: BLOCKED_REQUESTS }, () => call(baseUrl, 'POST', `/events/${eventId}/book`, body)));
    const takenAfter = await soldOf();
    await blocker.end();

    const latencies = blocked.map((answer) => Math.round(answer.ms));
    const bound = LOCK_WAIT_TIMEOUT_SECONDS * 1000 + MARGIN_MS;
    console.log(
      JSON.stringify(
        {
          scenario: 'lock-contention',
          lock_wait_timeout_s: LOCK_WAIT_TIMEOUT_SECONDS,
          blocked_requests: blocked.length,
          blocked_answers: blocked.map((answer) => `${answer.status} ${String(answer.body.code)} retry-after=${answer.headers.get('retry-after')}`).reduce<Record<string, number>>((counts, key) => ({ ...counts, [key]: (counts[key] ?? 0) + 1 }), {}),
          blocked_ms: { min: Math.min(...latencies), max: Math.max(...latencies), within_bound: latencies.filter((ms) => ms <= bound).length },
          seats_taken_while_locked: takenWhileLocked,
          after_release: freed.map((answer) => answer.status).reduce<Record<string, number>>((counts, key) => ({ ...counts, [key]: (counts[key] ?? 0) + 1 }), {}),
          seats_taken_after: takenAfter,
        },
        null,
        2,
      ),
    );
    verdict([
      [blocked.every((answer) => answer.status === 503 && answer.body.code === 'BUSY_TRY_AGAIN'), 'every booking and hold on the locked row answered 503 BUSY_TRY_AGAIN'],
      [blocked.every((answer) => answer.headers.get('retry-after') === '1'), 'each came with Retry-After'],
      // The bound counts from a booking's arrival, whether it waits for a connection, a batch ahead of it or the lock.
      [latencies.every((ms) => ms <= bound), `every one answered within the lock wait bound + ${MARGIN_MS} ms (${bound} ms), those beyond the pool too`],
      [Math.min(...latencies) >= LOCK_WAIT_TIMEOUT_SECONDS * 1000 - 100, 'each had waited for the lock rather than failing at once'],
      [takenWhileLocked === 0, 'no counter changed while the row was locked'],
      [freed.every((answer) => answer.status === 201) && takenAfter === BLOCKED_REQUESTS, 'every booking succeeded once the row was free'],
    ]);
  } finally {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
    await database.destroy();
  }
}

await main();
