/**
 * Soak: a steady, moderate load for 10 minutes against the built app, checking that memory (RSS)
 * does not keep growing, that the p99 latency of the last minute is within 1.5× of the first
 * minute's, and that no request fails. Runs on a fresh SQLite file unless DATABASE_URL is given.
 *
 *   npm run soak                                  # 10 minutes, 40 flows/s
 *   SOAK_SECONDS=120 SOAK_RATE=20 npm run soak    # shorter, lighter
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, createEventVia, type ApiAnswer } from '../test/support/api-client.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from '../test/support/built-app.js';
import { percentile, seededRandom } from '../test/support/mixed-load.js';
import { verdict } from './support/verdict.js';

const DURATION_MS = Number(process.env.SOAK_SECONDS ?? 600) * 1000;
const FLOWS_PER_SECOND = Number(process.env.SOAK_RATE ?? 40);
const MAX_IN_FLIGHT = 200;
const WINDOW_MS = Math.min(60_000, DURATION_MS / 3);
const RSS_SAMPLE_MS = 5_000;

interface Sample {
  at: number;
  ms: number;
}

function rssMegabytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((each) => each.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

async function main(): Promise<void> {
  ensureBuilt();
  const sqlitePath = join(tmpdir(), `ticketing_test_soak_${process.pid}.sqlite`);
  const databaseUrl = process.env.DATABASE_URL ?? `sqlite://${sqlitePath}`;
  let app: BuiltApp | undefined;
  try {
    app = await startBuiltApp({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
    const { baseUrl } = app;
    const pid = app.child.pid ?? 0;
    const eventId = await createEventVia(baseUrl, {
      ticket_categories: [
        { name: 'General', price: 30, seats_limit: 1_000_000 },
        { name: 'VIP', price: 120, seats_limit: 1_000_000 },
      ],
    });
    const random = seededRandom(42);
    const samples: Sample[] = [];
    const failures = new Map<string, number>();
    const rss: { at: number; mb: number }[] = [];
    let requests = 0;
    let inFlight = 0;
    let skipped = 0;
    const references: string[] = [];

    const send = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
      const answer = await call(baseUrl, method, path, body);
      requests++;
      samples.push({ at: Date.now(), ms: answer.ms });
      if (answer.status < 200 || answer.status >= 300) {
        const key = `${method} ${path.replace(/\/[0-9A-Z]{12}(\/|$)/, '/:ref$1').replace(/\/\d+/, '/:id')} ${answer.status || answer.error} ${typeof answer.body.code === 'string' ? answer.body.code : ''}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
      return answer;
    };

    const flow = async (): Promise<void> => {
      const pick = random();
      const category = pick < 0.7 ? 'General' : 'VIP';
      const body = { ticket_category: category, quantity: 1 + Math.floor(random() * 2), customer_email: 'soak@example.com' };
      if (pick < 0.3) {
        await send('GET', `/events/${eventId}`);
      } else if (pick < 0.4) {
        await send('GET', '/events?limit=20');
      } else if (pick < 0.5 && references.length > 0) {
        await send('GET', `/bookings/${references[Math.floor(random() * references.length)]}`);
      } else if (pick < 0.75) {
        const booked = await send('POST', `/events/${eventId}/book`, body);
        if (booked.status === 201 && references.length < 1000) references.push(booked.body.reference as string);
        if (booked.status === 201 && pick > 0.7) await send('POST', `/bookings/${String(booked.body.reference)}/cancel`);
      } else {
        const held = await send('POST', `/events/${eventId}/holds`, body);
        if (held.status !== 201) return;
        const reference = held.body.reference as string;
        if (pick < 0.9) await send('POST', `/holds/${reference}/confirm`);
        else await send('DELETE', `/holds/${reference}`);
      }
    };

    const startedAt = Date.now();
    const endsAt = startedAt + DURATION_MS;
    const running = new Set<Promise<void>>();
    let nextRss = startedAt;
    for (let tick = 0; Date.now() < endsAt; tick++) {
      const due = startedAt + (tick * 1000) / FLOWS_PER_SECOND;
      if (due > Date.now()) await sleep(due - Date.now());
      if (Date.now() >= nextRss) {
        rss.push({ at: Date.now(), mb: rssMegabytes(pid) });
        nextRss += RSS_SAMPLE_MS;
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      inFlight++;
      const started = flow().finally(() => {
        inFlight--;
        running.delete(started);
      });
      running.add(started);
    }
    await Promise.all(running);

    const window = (from: number, to: number) => samples.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.ms);
    const first = window(startedAt, startedAt + WINDOW_MS);
    const last = window(endsAt - WINDOW_MS, endsAt + 60_000);
    const rssIn = (from: number, to: number) => rss.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.mb);
    // The first window is warm-up (JIT, pools, caches); growth is judged from the second one on.
    const rssSecond = Math.max(...rssIn(startedAt + WINDOW_MS, startedAt + 2 * WINDOW_MS));
    const rssLast = Math.max(...rssIn(endsAt - WINDOW_MS, endsAt + 1));
    const p99First = percentile(first, 0.99);
    const p99Last = percentile(last, 0.99);
    const totalFailures = [...failures.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      JSON.stringify(
        {
          scenario: 'soak',
          database: databaseUrl.split(':')[0],
          duration_s: Math.round((Date.now() - startedAt) / 1000),
          flows_per_second: FLOWS_PER_SECOND,
          requests,
          requests_per_second: Math.round(requests / (DURATION_MS / 1000)),
          skipped_flows_over_in_flight_cap: skipped,
          errors: totalFailures,
          failures: Object.fromEntries(failures),
          p50_ms: { first_window: Math.round(percentile(first, 0.5) * 10) / 10, last_window: Math.round(percentile(last, 0.5) * 10) / 10 },
          p99_ms: { first_window: Math.round(p99First * 10) / 10, last_window: Math.round(p99Last * 10) / 10 },
          window_s: WINDOW_MS / 1000,
          rss_mb: {
            start: Math.round(rss[0]?.mb ?? 0),
            second_window_max: Math.round(rssSecond),
            last_window_max: Math.round(rssLast),
            max: Math.round(Math.max(...rss.map((sample) => sample.mb))),
          },
        },
        null,
        2,
      ),
    );
    verdict([
      [totalFailures === 0 && skipped === 0, 'no errors and no flow skipped for overload'],
      [p99Last <= 1.5 * p99First, 'p99 latency of the last window within 1.5× of the first'],
      [rssLast <= 1.25 * rssSecond, 'RSS of the last window within 1.25× of the second (no unbounded growth)'],
    ]);
  } finally {
    if (app?.child.exitCode === null) app.child.kill('SIGTERM');
    await app?.exited;
    if (process.env.DATABASE_URL === undefined) for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true });
  }
}

await main();
