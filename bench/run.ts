/**
 * `npm run bench`: builds the app, starts it on a fresh MariaDB database (coalescing on and off)
 * next to the bare baseline (bench/baseline-server.ts), fills the database in SQL, loads every
 * target back to back with autocannon over loopback, prints a table and writes it into
 * BENCHMARKS.md. `--smoke` runs every scenario for 2 s and writes nothing.
 * BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306), BENCH_DURATION (seconds, default 20).
 * BENCH_TRACING=on adds, on MariaDB, an app with tracing on (OTLP/HTTP to a receiver in this
 * process), measured next to the untraced one in every scenario: the notes give the ratio.
 */
import autocannon, { type Options, type Result } from 'autocannon';
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { openMysql, openSqlite, type BenchDatabase, type SeededEvent } from './seed.js';

const smoke = process.argv.includes('--smoke');
const DURATION = smoke ? 2 : Number(process.env.BENCH_DURATION ?? 20);
const READ_DURATION = smoke ? 2 : Math.max(2, Math.round(DURATION / 2));
const CONNECTIONS = 64;
const MYSQL_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const DATABASE = `ticketing_bench_${process.pid}`;
const SQLITE_PATH = join(tmpdir(), `ticketing_bench_${process.pid}.sqlite`);
const LIST_EVENTS = smoke ? 1_000 : 10_000;
const SELL_OUT_SEATS = smoke ? 1_000 : 10_000;
const TICKETS_TO_SCAN = smoke ? 1_000 : 10_000;
const HUGE = 1_000_000_000;
const DAY = 86_400_000;
const WORKERS_NOTE = '64 mysql2 workers, no HTTP';
const TRACING = process.env.BENCH_TRACING === 'on';
const UNTRACED = 'app (coalescing on)';
const TRACED = 'app (coalescing on, tracing)';
/** Where the traced app exports to, when BENCH_TRACING=on. */
let otlpSink: OtlpSink | undefined;
const BOOK_BODY = JSON.stringify({ ticket_category: 'General', quantity: 1, customer_name: 'Bench Buyer', customer_email: 'buyer@example.com' });

interface Target {
  name: string;
  url: string;
  process: ChildProcess;
  peakRss: number;
  /** Its own database, where targets cannot share one (SQLite: one writing process per file). */
  db?: BenchDatabase;
}

interface Row {
  scenario: string;
  metric: string;
  values: Record<string, string>;
  ratios: Record<string, string>;
  notes: string[];
}

const rows: Row[] = [];
/** Checks that failed (an invariant, a sell-out count, a non-409 refusal): the run exits 1. */
const failures: string[] = [];
const children: ChildProcess[] = [];

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function onServer(statement: string): Promise<void> {
  const url = new URL(MYSQL_URL);
  const connection = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || 'root', password: decodeURIComponent(url.password) });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** Environment for every app process: the rate limit (another issue) raised out of the way, logs quiet. */
function appEnvironment(port: number, databaseUrl: string, coalescing: 'on' | 'off'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    BOOKING_COALESCING: coalescing,
    // The load comes from one address; the limit is off (0) so it measures booking, not refusing.
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    HOLD_SWEEP_INTERVAL_SECONDS: '3600',
  };
}

/** The app is started as the Dockerfile starts it (its heap cap included), so that RSS is the deployed figure. */
function appCommand(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
  if (!cmd) throw new Error('Dockerfile has no CMD ["node", ...] line');
  return JSON.parse(cmd) as string[];
}

function appTarget(): [command: string, args: string[]] {
  const [command, ...args] = appCommand();
  return [command, args];
}

async function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, url: string, readyPath: string): Promise<Target> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url + readyPath)).ok) return { name, url, process: child, peakRss: 0 };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not become ready`);
}

/** Peak resident set size of the process so far (VmHWM), in MB. */
function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function stop(target: Target): Promise<void> {
  target.peakRss = peakRssMb(target.process);
  return new Promise((resolve) => {
    target.process.once('exit', () => resolve());
    target.process.kill('SIGTERM');
  });
}

function load(options: Options, onInstance?: (instance: autocannon.Instance) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, ...options }, (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)));
    onInstance?.(instance);
  });
}

function seconds(result: Result): number {
  return (new Date(result.finish).getTime() - new Date(result.start).getTime()) / 1000;
}

interface Measured {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  twoXx: number;
}

function measured(result: Result, successes = result['2xx']): Measured {
  if (result.non2xx > 0) log(`non-2xx answers: ${JSON.stringify(result.statusCodeStats)}`);
  return {
    rate: successes / seconds(result),
    p50: result.latency.p50,
    p99: result.latency.p99,
    // autocannon counts a timeout among its errors too.
    errors: result.non2xx + result.errors,
    timeouts: result.timeouts,
    twoXx: result['2xx'],
  };
}

function record(scenario: string, metric: string, byTarget: Record<string, Measured>, baseline: string | undefined, notes: string[] = []): void {
  const values: Record<string, string> = {};
  const ratios: Record<string, string> = {};
  for (const [target, m] of Object.entries(byTarget)) {
    values[target] = `${Math.round(m.rate)}/s · p50 ${m.p50} ms · p99 ${m.p99} ms · errors ${m.errors}${m.timeouts ? ` (${m.timeouts} timeouts)` : ''}`;
    if (baseline && target !== baseline) ratios[target] = `${(m.rate / byTarget[baseline].rate).toFixed(2)}×`;
  }
  const traced = byTarget[TRACED];
  const untraced = byTarget[UNTRACED];
  if (traced && untraced) notes.push(`tracing: ${(traced.rate / untraced.rate).toFixed(2)}× the untraced rate, p99 ${untraced.p99} → ${traced.p99} ms`);
  rows.push({ scenario, metric, values, ratios, notes });
  log(`${scenario}: ${JSON.stringify(values)} ${JSON.stringify(ratios)} ${notes.join('; ')}`);
}

function bookingRequest(events: SeededEvent[]): Options['requests'] {
  return [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BOOK_BODY,
      setupRequest: (request) => ({ ...request, path: `/events/${events[Math.floor(Math.random() * events.length)].id}/book` }),
    },
  ];
}

async function invariant(db: BenchDatabase, eventId: number, expectedBookings: number): Promise<string> {
  const state = await db.categoryState(eventId);
  // Requests still in flight when autocannon stops may commit uncounted: rows ≥ 201s, never fewer.
  const ok =
    state.seatsSold === state.booked && state.booked === state.bookings && state.tickets === state.seatsSold && state.seatsSold + state.seatsHeld <= state.seatsLimit && state.bookings >= expectedBookings;
  if (!ok) failures.push(`invariant broken on event ${eventId}`);
  return `invariant ${ok ? 'OK' : 'BROKEN'}: seats_sold ${state.seatsSold} = sold lines ${state.booked} = ${state.bookings} lines of 1 seat = ${state.tickets} valid tickets, ≥ ${expectedBookings} answers 201`;
}

/** JIT and pools warm up before anything is measured: a few seconds of booking and reading per target. */
async function warmUp(db: BenchDatabase, targets: Target[]): Promise<void> {
  for (const target of targets) {
    const [event] = await (target.db ?? db).insertEvents(1, [{ name: 'General', price: 25, seatsLimit: HUGE }], new Date(Date.now() + 20 * DAY));
    await load({ url: target.url, duration: smoke ? 1 : 3, requests: bookingRequest([event]) });
    await load({ url: `${target.url}/events/${event.id}`, duration: smoke ? 1 : 2 });
  }
}

async function hotBook(db: BenchDatabase, targets: Target[], baseline: string | undefined, label = 'hot-book'): Promise<Record<string, Measured>> {
  const byTarget: Record<string, Measured> = {};
  const notes: string[] = [];
  for (const target of targets) {
    const targetDb = target.db ?? db;
    const [event] = await targetDb.insertEvents(1, [{ name: 'General', price: 25, seatsLimit: HUGE }], new Date(Date.now() + 30 * DAY));
    const result = await load({ url: target.url, duration: DURATION, requests: bookingRequest([event]) });
    byTarget[target.name] = measured(result);
    notes.push(`${target.name}: ${await invariant(targetDb, event.id, result['2xx'])}`);
  }
  record(label, `bookings/s, ${CONNECTIONS} connections, ${DURATION} s`, byTarget, baseline, notes);
  return byTarget;
}

/**
 * The locking transaction alone (bench/lock-limit.ts), on a hot row of its own: what the row
 * allows one statement per round trip. Coalescing is measured against it.
 */
async function lockLimit(databaseUrl: string, db: BenchDatabase): Promise<Measured> {
  const [event] = await db.insertEvents(1, [{ name: 'General', price: 25, seatsLimit: HUGE }], new Date(Date.now() + 35 * DAY));
  const categoryId = await db.categoryIdOf(event.id);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('node', ['--import', 'tsx', 'bench/lock-limit.ts', databaseUrl, String(event.id), String(categoryId), String(DURATION)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`lock-limit exited with ${code}`))));
  });
  const { transactions, seconds: elapsed } = JSON.parse(output) as { transactions: number; seconds: number };
  const state = await db.categoryState(event.id);
  if (state.seatsSold !== transactions || state.bookings !== transactions) failures.push('lock limit: the counter and the bookings disagree with the transactions run');
  return { rate: transactions / elapsed, p50: 0, p99: 0, errors: 0, timeouts: 0, twoXx: transactions };
}

/** Two categories of one event in every order: both rows locked in id order, two counters, the booking, its lines and tickets. */
async function twoLineOrder(db: BenchDatabase, targets: Target[], baseline: string): Promise<void> {
  const byTarget: Record<string, Measured> = {};
  const notes: string[] = [];
  const body = JSON.stringify({ items: [{ ticket_category: 'General', quantity: 1 }, { ticket_category: 'VIP', quantity: 1 }], customer_email: 'buyer@example.com' });
  for (const target of targets) {
    const [event] = await db.insertEvents(1, [{ name: 'General', price: 25, seatsLimit: HUGE }, { name: 'VIP', price: 90, seatsLimit: HUGE }], new Date(Date.now() + 32 * DAY));
    const result = await load({ url: target.url, duration: DURATION, requests: [{ method: 'POST', path: `/events/${event.id}/book`, headers: { 'content-type': 'application/json' }, body }] });
    byTarget[target.name] = measured(result);
    notes.push(`${target.name}: ${await invariant(db, event.id, result['2xx'])}`);
  }
  record('hot two-line order', `orders/s of General + VIP on one event, ${CONNECTIONS} connections, ${DURATION} s`, byTarget, baseline, notes);
}

/** Every one of TICKETS_TO_SCAN tickets scanned once by 64 scanners: one conditional UPDATE each. */
async function checkIns(db: BenchDatabase, targets: Target[], baseline: string): Promise<void> {
  const byTarget: Record<string, Measured> = {};
  const notes: string[] = [];
  for (const target of targets) {
    const [event] = await db.insertEvents(1, [{ name: 'General', price: 25, seatsLimit: HUGE }], new Date(Date.now() + 33 * DAY));
    const { codes, scannerKey } = await db.ticketsToScan(event.id, TICKETS_TO_SCAN);
    let next = 0;
    const statuses = new Map<number, number>();
    const result = await load({
      url: target.url,
      amount: codes.length,
      requests: [
        {
          method: 'POST',
          path: `/events/${event.id}/check-ins`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${scannerKey}` },
          setupRequest: (request) => ({ ...request, body: JSON.stringify({ code: codes[next++ % codes.length] }) }),
          onResponse: (status) => void statuses.set(status, (statuses.get(status) ?? 0) + 1),
        },
      ],
    });
    const admitted = await db.checkedIn(event.id);
    const exact = admitted === codes.length && statuses.get(200) === codes.length;
    if (!exact) failures.push(`check-in on ${target.name}: ${admitted} of ${codes.length} tickets in, answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    byTarget[target.name] = measured(result);
    notes.push(`${target.name}: ${admitted} of ${codes.length} tickets checked in, each once (answers ${JSON.stringify(Object.fromEntries(statuses))})`);
  }
  record('check-in', `scans/s of ${TICKETS_TO_SCAN} tickets, each once, ${CONNECTIONS} scanners`, byTarget, baseline, notes);
}

async function spreadBook(db: BenchDatabase, targets: Target[], baseline: string): Promise<void> {
  const byTarget: Record<string, Measured> = {};
  for (const target of targets) {
    const events = await db.insertEvents(100, [{ name: 'General', price: 25, seatsLimit: HUGE }], new Date(Date.now() + 40 * DAY));
    byTarget[target.name] = measured(await load({ url: target.url, duration: DURATION, requests: bookingRequest(events) }));
  }
  record('spread-book', `bookings/s over 100 events, ${CONNECTIONS} connections, ${DURATION} s`, byTarget, baseline);
}

async function sellOut(db: BenchDatabase, targets: Target[], baseline: string): Promise<void> {
  const byTarget: Record<string, Measured> = {};
  const notes: string[] = [];
  for (const target of targets) {
    const [event] = await db.insertEvents(1, [{ name: 'General', price: 25, seatsLimit: SELL_OUT_SEATS }], new Date(Date.now() + 50 * DAY));
    const statuses = new Map<number, number>();
    let lastSale = 0;
    const startedAt = Date.now();
    const result = await load(
      {
        url: target.url,
        duration: 120,
        requests: [
          {
            method: 'POST',
            path: `/events/${event.id}/book`,
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: JSON.stringify({ ticket_category: 'General', quantity: 1 + Math.floor(Math.random() * 4) }) }),
            onResponse: (status) => {
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
              if (status === 201) lastSale = Date.now();
            },
          },
        ],
      },
      (instance) => {
        const poll = setInterval(() => {
          void db.categoryState(event.id).then((state) => {
            if (state.seatsSold >= SELL_OUT_SEATS) {
              clearInterval(poll);
              instance.stop();
            }
          });
        }, 100);
        instance.on('done', () => clearInterval(poll));
      },
    );
    const state = await db.categoryState(event.id);
    const sellOutSeconds = (lastSale - startedAt) / 1000;
    const rejected = [...statuses].filter(([status]) => status !== 201);
    const allRejections409 = rejected.every(([status]) => status === 409);
    if (!allRejections409 || state.seatsSold !== SELL_OUT_SEATS || state.booked !== SELL_OUT_SEATS) failures.push(`sell-out on ${target.name} did not sell exactly ${SELL_OUT_SEATS} with 409 refusals`);
    byTarget[target.name] = { ...measured(result), rate: (statuses.get(201) ?? 0) / sellOutSeconds, errors: rejected.filter(([s]) => s !== 409).reduce((sum, [, n]) => sum + n, 0) };
    notes.push(
      `${target.name}: sold out in ${sellOutSeconds.toFixed(2)} s, seats_sold ${state.seatsSold} (booked ${state.booked}) of ${SELL_OUT_SEATS}, ` +
        `${statuses.get(201) ?? 0} bookings, rejections ${JSON.stringify(Object.fromEntries(rejected))} ${allRejections409 ? 'all 409' : 'NOT all 409'}`,
    );
  }
  record('sell-out', `bookings/s until ${SELL_OUT_SEATS} seats are gone (quantities 1–4)`, byTarget, baseline, notes);
}

function cursorOf(event: SeededEvent): string {
  return Buffer.from(JSON.stringify([event.date.toISOString(), event.id])).toString('base64url');
}

async function list(db: BenchDatabase, targets: Target[], baseline: string | undefined, label = 'list'): Promise<void> {
  const deep = cursorOf(await db.eventAt(Math.floor(LIST_EVENTS * 0.75)));
  for (const [page, path] of [
    ['first page', '/events?limit=50'],
    ['deep page', `/events?limit=50&cursor=${deep}`],
  ]) {
    const byTarget: Record<string, Measured> = {};
    for (const target of targets) byTarget[target.name] = measured(await load({ url: target.url + path, duration: READ_DURATION }));
    record(`${label} (${page})`, `GET ${path.slice(0, 24)}…, req/s, ${READ_DURATION} s`, byTarget, baseline);
  }
}

async function getOne(listEvents: SeededEvent[], targets: Target[], baseline: string): Promise<void> {
  const byTarget: Record<string, Measured> = {};
  for (const target of targets) {
    byTarget[target.name] = measured(
      await load({
        url: target.url,
        duration: READ_DURATION,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/events/${listEvents[Math.floor(Math.random() * listEvents.length)].id}` }) }],
      }),
    );
  }
  record('get-one', `GET /events/:id, req/s, ${READ_DURATION} s`, byTarget, baseline);
}

/** A collector's OTLP/HTTP endpoint that accepts every export (protobuf, the SDK's default) and counts it. */
interface OtlpSink {
  server: Server;
  endpoint: string;
  exports: number;
  bytes: number;
}

async function startOtlpSink(): Promise<OtlpSink> {
  const sink: OtlpSink = { server: createServer(), endpoint: '', exports: 0, bytes: 0 };
  sink.server.on('request', (request, response) => {
    request.on('data', (chunk: Buffer) => (sink.bytes += chunk.length));
    request.on('end', () => {
      sink.exports += 1;
      response.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
  sink.endpoint = `http://127.0.0.1:${(sink.server.address() as { port: number }).port}`;
  return sink;
}

function versions(): string {
  const pkg = (name: string) => (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  let server = 'unknown';
  try {
    const url = new URL(MYSQL_URL);
    server = execSync(`mysql -h ${url.hostname} -P ${url.port || 3306} -u ${decodeURIComponent(url.username) || 'root'} -N -e 'SELECT VERSION()'`, { encoding: 'utf8' }).trim();
  } catch {
    // the mysql client is optional
  }
  return `Node ${process.version}, MariaDB at ${new URL(MYSQL_URL).host}, NestJS ${pkg('@nestjs/core')}, TypeORM ${pkg('typeorm')}, Fastify ${pkg('fastify')}, mysql2 ${pkg('mysql2')}, autocannon ${pkg('autocannon')}, MariaDB ${server}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`;
}

function table(rssByTarget: Record<string, number>): string {
  const lines = [
    `Measured ${new Date().toISOString()} by \`npm run bench\`${smoke ? ' --smoke' : ''}. ${versions()}.`,
    '',
    `Settings: ${CONNECTIONS} autocannon connections over loopback; booking scenarios ${DURATION} s, read scenarios ${READ_DURATION} s; ` +
      `app built (\`nest build\`) and run as the Dockerfile runs it (\`${appCommand().join(' ')}\`), LOG_LEVEL=warn, DATABASE_POOL_SIZE=10, RATE_LIMIT_PER_MINUTE=0 (off); ` +
      'baseline pool 10 connections; every target measured back to back in this one run on the same database. ' +
      'The machine has 2 cores, shared with the load generator and MariaDB: absolute figures are noisy, compare the ratios.',
    '',
    '| scenario | metric | target | result | ratio to baseline |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    for (const [target, value] of Object.entries(row.values)) lines.push(`| ${row.scenario} | ${row.metric} | ${target} | ${value} | ${row.ratios[target] ?? ''} |`);
  }
  lines.push('', 'Checks:', '');
  for (const row of rows) for (const note of row.notes) lines.push(`- ${row.scenario} — ${note}`);
  if (otlpSink) lines.push('', `Tracing: the traced app exported ${otlpSink.exports} OTLP/HTTP requests, ${(otlpSink.bytes / 1024 / 1024).toFixed(1)} MB of spans, to a receiver in the bench process.`);
  lines.push('', 'Peak RSS (VmHWM) over the whole run:', '');
  for (const [target, mb] of Object.entries(rssByTarget)) lines.push(`- ${target}: ${mb} MB`);
  return lines.join('\n');
}

function writeResults(text: string): void {
  const file = 'BENCHMARKS.md';
  const start = '<!-- bench:results:start -->';
  const end = '<!-- bench:results:end -->';
  const current = readFileSync(file, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`${file} lacks the ${start} … ${end} markers`);
  writeFileSync(file, `${current.slice(0, from + start.length)}\n${text}\n${current.slice(to)}`);
}

async function onMysql(): Promise<Record<string, number>> {
  await onServer(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4`);
  try {
    return await measureOnMysql(`${MYSQL_URL}/${DATABASE}`);
  } finally {
    await onServer(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  }
}

async function measureOnMysql(databaseUrl: string): Promise<Record<string, number>> {
  // The first app creates the schema (migrations run at start) before anything else connects.
  const appOn = await start(UNTRACED, ...appTarget(), appEnvironment(3201, databaseUrl, 'on'), 'http://127.0.0.1:3201', '/health/ready');
  const appOff = await start('app (coalescing off)', ...appTarget(), appEnvironment(3202, databaseUrl, 'off'), 'http://127.0.0.1:3202', '/health/ready');
  const traced = otlpSink ? [await start(TRACED, ...appTarget(), { ...appEnvironment(3204, databaseUrl, 'on'), OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.endpoint }, 'http://127.0.0.1:3204', '/health/ready')] : [];
  const baselineEnv = { ...process.env, BASELINE_DATABASE_URL: databaseUrl, PORT: '3203', POOL_SIZE: '10' };
  const baseline = await start('baseline', 'node', ['--import', 'tsx', 'bench/baseline-server.ts'], baselineEnv, 'http://127.0.0.1:3203', '/events?limit=1');
  const db = await openMysql(MYSQL_URL, DATABASE);
  try {
    const writers = [appOn, ...traced, appOff, baseline];
    const readers = [appOn, ...traced, baseline];
    log('MariaDB: warm-up');
    await warmUp(db, writers);
    log('MariaDB: hot-book');
    const hot = await hotBook(db, writers, baseline.name);
    log('MariaDB: lock limit');
    const limit = await lockLimit(databaseUrl, db);
    record('hot-book vs lock limit', `bookings/s; the lock limit is the bare locking transaction, ${WORKERS_NOTE}`, { [appOn.name]: hot[appOn.name], 'lock limit': limit }, 'lock limit');
    log('MariaDB: hot two-line order');
    await twoLineOrder(db, [appOn, baseline], baseline.name);
    log('MariaDB: check-in');
    await checkIns(db, [appOn, baseline], baseline.name);
    log('MariaDB: spread-book');
    await spreadBook(db, writers, baseline.name);
    log('MariaDB: sell-out');
    await sellOut(db, writers, baseline.name);
    log(`MariaDB: seeding ${LIST_EVENTS} events × 3 categories`);
    const listEvents = await db.insertEvents(
      LIST_EVENTS,
      [
        { name: 'Floor', price: 80, seatsLimit: 500 },
        { name: 'Balcony', price: 45.5, seatsLimit: 300 },
        { name: 'VIP', price: 150, seatsLimit: 50 },
      ],
      new Date(Date.now() + 60 * DAY),
    );
    log('MariaDB: list');
    await list(db, readers, baseline.name);
    log('MariaDB: get-one');
    await getOne(listEvents, readers, baseline.name);
  } finally {
    await db.close();
    for (const target of [appOn, ...traced, appOff, baseline]) await stop(target);
  }
  return Object.fromEntries([appOn, ...traced, appOff, baseline].map((target) => [target.name, target.peakRss]));
}

/** Each app on its own file: SQLite allows one writer, and two processes on one file answer SQLITE_BUSY. */
async function onSqlite(): Promise<Record<string, number>> {
  const paths = [`${SQLITE_PATH}`, `${SQLITE_PATH.replace(/\.sqlite$/, '')}_off.sqlite`];
  const appOn = await start('SQLite app (coalescing on)', ...appTarget(), appEnvironment(3211, `sqlite://${paths[0]}`, 'on'), 'http://127.0.0.1:3211', '/health/ready');
  const appOff = await start('SQLite app (coalescing off)', ...appTarget(), appEnvironment(3212, `sqlite://${paths[1]}`, 'off'), 'http://127.0.0.1:3212', '/health/ready');
  appOn.db = openSqlite(paths[0]);
  appOff.db = openSqlite(paths[1]);
  const db = appOn.db;
  try {
    log('SQLite: warm-up');
    await warmUp(db, [appOn, appOff]);
    log('SQLite: hot-book');
    await hotBook(db, [appOn, appOff], undefined, 'SQLite hot-book');
    await db.insertEvents(LIST_EVENTS, [{ name: 'Floor', price: 80, seatsLimit: 500 }, { name: 'Balcony', price: 45.5, seatsLimit: 300 }, { name: 'VIP', price: 150, seatsLimit: 50 }], new Date(Date.now() + 60 * DAY));
    log('SQLite: list');
    await list(db, [appOn], undefined, 'SQLite list');
  } finally {
    await appOn.db.close();
    await appOff.db.close();
    for (const target of [appOn, appOff]) await stop(target);
    for (const path of paths) for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
  return { [appOn.name]: appOn.peakRss, [appOff.name]: appOff.peakRss };
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) execSync('npm run build', { stdio: 'inherit' });
  if (TRACING) otlpSink = await startOtlpSink();
  const only = process.env.BENCH_ONLY;
  const rss = {
    ...(only === 'sqlite' ? {} : await onMysql()),
    ...(only === 'mysql' ? {} : await onSqlite()),
  };
  otlpSink?.server.close();
  const text = table(rss);
  process.stdout.write(`${text}\n`);
  if (!smoke && !only) writeResults(text);
  if (failures.length > 0) {
    log(`FAILED: ${failures.join('; ')}`);
    process.exitCode = 1;
  }
}

const deadline = setTimeout(() => {
  log('bench took longer than 30 minutes; giving up');
  for (const child of children) child.kill('SIGKILL');
  process.exit(2);
}, 30 * 60_000);
deadline.unref();

main()
  .catch((error: unknown) => {
    console.error(error);
    for (const child of children) child.kill('SIGKILL');
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(deadline));
