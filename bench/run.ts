/**
 * `npm run bench`: builds the app, starts it on a fresh MariaDB database (coalescing on and off,
 * and with the read cache on) next to the bare baseline (bench/baseline-server.ts), fills the
 * database in SQL, loads every target back to back with autocannon over loopback; for the reads
 * also the limit (bench/limit-server.ts: the app's bytes from memory). Prints a table and the
 * targets with their ratios, and the CPU each process used per answer (from /proc), and writes
 * them into BENCHMARKS.md. `--smoke` runs every scenario for 2 s and writes nothing.
 * BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306), BENCH_DURATION (seconds, default 20).
 * BENCH_TRACING=on adds, on MariaDB, an app with tracing on (OTLP/HTTP to a receiver in this
 * process), measured next to the untraced one in every scenario: the notes give the ratio.
 * BENCH_SCENARIO=search runs the search scenario alone (MariaDB, then SQLite), writing nothing;
 * BENCH_SCENARIO=hot-book, webhooks, check-in, spread-book, two-line or reads that scenario alone
 * (MariaDB), writing nothing.
 */
import autocannon, { type Options, type Result } from 'autocannon';
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { openMysql, openSqlite, SEARCH_CITIES, SEARCH_GENRES, type BenchDatabase, type SeededEvent } from './seed.js';

const smoke = process.argv.includes('--smoke');
const DURATION = smoke ? 2 : Number(process.env.BENCH_DURATION ?? 20);
const READ_DURATION = smoke ? 2 : Math.max(2, Math.round(DURATION / 2));
const CONNECTIONS = 64;
const MYSQL_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const DATABASE = `ticketing_bench_${process.pid}`;
const SQLITE_PATH = join(tmpdir(), `ticketing_bench_${process.pid}.sqlite`);
const LIST_EVENTS = smoke ? 1_000 : 10_000;
/** The events read by get-one: an on-sale crowd reloads a few event pages, not every event there is. */
const HOT_EVENTS = 100;
const READ_CACHE_MS = 1000;
const SEARCH_EVENTS = smoke ? 2_000 : 100_000;
/** One scenario alone, writing nothing: for measuring a change without the whole run. */
const SCENARIO = process.env.BENCH_SCENARIO;
const ONLY_SEARCH = SCENARIO === 'search';
/** Scenarios that run on MariaDB only. */
const MYSQL_ONLY_SCENARIOS = ['hot-book', 'webhooks', 'check-in', 'spread-book', 'two-line', 'reads'];
const SELL_OUT_SEATS = smoke ? 1_000 : 10_000;
const TICKETS_TO_SCAN = smoke ? 1_000 : 10_000;
const TICKETS_TO_WARM_UP = smoke ? 100 : 2_000;
const HUGE = 1_000_000_000;
const DAY = 86_400_000;
const WORKERS_NOTE = '64 mysql2 workers, no HTTP';
const TRACING = process.env.BENCH_TRACING === 'on';
const UNTRACED = 'app (coalescing on)';
const TRACED = 'app (coalescing on, tracing)';
/** Where the traced app exports to, when BENCH_TRACING=on. */
let otlpSink: OtlpSink | undefined;
const BENCH_ORGANIZER_KEY = 'bench-organizer-key-0123456789abcdefghijkl';
const WEBHOOK_RECEIVER_PORT = 3208;
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

/** A target an issue set, with what this run measured and whether that meets it. */
interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

const rows: Row[] = [];
const goals: Goal[] = [];
/** Checks that failed (an invariant, a sell-out count, a non-409 refusal): the run exits 1. */
const failures: string[] = [];
const children: ChildProcess[] = [];
const startedTargets: Target[] = [];

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
function appEnvironment(port: number, databaseUrl: string, coalescing: 'on' | 'off', readCacheMs = 0): NodeJS.ProcessEnv {
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
    READ_CACHE_MS: String(readCacheMs),
    // The webhook scenario's receiver listens on loopback; every instance's worker may deliver to it.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ORGANIZER_API_KEY: BENCH_ORGANIZER_KEY,
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
      if ((await fetch(url + readyPath)).ok) {
        const target = { name, url, process: child, peakRss: 0 };
        startedTargets.push(target);
        return target;
      }
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

/** CPU time (user + system, µs) the process has used so far, or undefined once it has ended; /proc counts it in ticks of 10 ms. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

/** The local MariaDB's process, when exactly one runs here (a remote BENCH_MYSQL_URL has none). */
function databaseServerPid(): number | undefined {
  const commandOf = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return undefined; // ended since the directory was read
    }
  };
  const pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && commandOf(entry) === 'mariadbd');
  return pids.length === 1 ? Number(pids[0]) : undefined;
}

/**
 * The processes a load is charged to, by role and pid: the target it is sent to ("server"), each
 * other server this run started, by name (idle apps still deliver webhooks; the webhook receiver),
 * MariaDB unless the target is on SQLite, and this process (autocannon).
 */
function cpuProcesses(url: string): [role: string, pid: number | undefined][] {
  const target = startedTargets.find((candidate) => url.startsWith(candidate.url));
  return [
    ['server', target?.process.pid],
    ...startedTargets.filter((other) => other !== target).map((other): [string, number | undefined] => [other.name, other.process.pid]),
    ['MariaDB', target?.db ? undefined : databaseServerPid()],
    ['load generator', process.pid],
  ];
}

interface CpuReading {
  role: string;
  pid: number;
  used: number;
}

function cpuSnapshot(url: string): CpuReading[] {
  const readings: CpuReading[] = [];
  for (const [role, pid] of cpuProcesses(url)) {
    const used = cpuMicros(pid);
    if (pid !== undefined && used !== undefined) readings.push({ role, pid, used });
  }
  return readings;
}

/** CPU (µs) each role used since `before`, counting only processes that ran throughout. */
function cpuUsedSince(before: CpuReading[]): Record<string, number> {
  const used: Record<string, number> = {};
  for (const { role, pid, used: then } of before) {
    const now = cpuMicros(pid);
    if (now !== undefined) used[role] = (used[role] ?? 0) + now - then;
  }
  return used;
}

/** Another server that used less per answer than this (µs) only idled beside the load. */
const IDLE_CPU_PER_ANSWER = 10;

/** CPU (µs) each process used during a load, by the load's result. */
const cpuOfLoad = new WeakMap<Result, Record<string, number>>();

function load(options: Options, onInstance?: (instance: autocannon.Instance) => void): Promise<Result> {
  const before = cpuSnapshot(options.url ?? '');
  return new Promise<Result>((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, ...options }, (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)));
    onInstance?.(instance);
  }).then((result) => {
    cpuOfLoad.set(result, cpuUsedSince(before));
    return result;
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
  /** CPU per answer (µs) of each process the load was charged to. */
  cpu: Record<string, number>;
}

/** `expected` is the class of status that counts as an answer: 304s for the conditional scenario. */
function measured(result: Result, expected: '2xx' | '3xx' = '2xx'): Measured {
  const answered = result[expected];
  const unexpected = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'] - answered;
  if (unexpected > 0) log(`answers other than ${expected}: ${JSON.stringify(result.statusCodeStats)}`);
  return {
    rate: answered / seconds(result),
    p50: result.latency.p50,
    p99: result.latency.p99,
    // autocannon counts a timeout among its errors too.
    errors: unexpected + result.errors,
    timeouts: result.timeouts,
    twoXx: result['2xx'],
    cpu: Object.fromEntries(Object.entries(cpuOfLoad.get(result) ?? {}).map(([process, used]) => [process, answered > 0 ? used / answered : 0])),
  };
}

/** `against` names, for each target compared, the target it is compared with (the baseline, the limit). */
function record(scenario: string, metric: string, byTarget: Record<string, Measured>, against: string | Record<string, string> | undefined, notes: string[] = []): void {
  const values: Record<string, string> = {};
  const ratios: Record<string, string> = {};
  for (const [target, m] of Object.entries(byTarget)) {
    values[target] = `${Math.round(m.rate)}/s · p50 ${m.p50} ms · p99 ${m.p99} ms · errors ${m.errors}${m.timeouts ? ` (${m.timeouts} timeouts)` : ''}`;
    const reference = typeof against === 'string' ? (target === against ? undefined : against) : against?.[target];
    if (reference) ratios[target] = `${(m.rate / byTarget[reference].rate).toFixed(2)}× ${reference}`;
  }
  const cpu = Object.entries(byTarget).filter(([, m]) => Object.keys(m.cpu).length > 0);
  const shown = (process: string, used: number) => ['server', 'MariaDB', 'load generator'].includes(process) || used >= IDLE_CPU_PER_ANSWER;
  if (cpu.length > 0) {
    const perTarget = cpu.map(([target, m]) => `${target}: ${Object.entries(m.cpu).filter(([process, used]) => shown(process, used)).map(([process, used]) => `${process} ${Math.round(used)}`).join(', ')}`);
    notes.push(`CPU µs per answer (other servers under ${IDLE_CPU_PER_ANSWER} left out): ${perTarget.join('; ')}`);
  }
  const traced = byTarget[TRACED];
  const untraced = byTarget[UNTRACED] ?? byTarget[CACHE_OFF];
  if (traced && untraced) notes.push(`tracing: ${(traced.rate / untraced.rate).toFixed(2)}× the untraced rate, p99 ${untraced.p99} → ${traced.p99} ms`);
  rows.push({ scenario, metric, values, ratios, notes });
  log(`${scenario}: ${JSON.stringify(values)} ${JSON.stringify(ratios)} ${notes.join('; ')}`);
}

function ratio(byTarget: Record<string, Measured>, target: string, reference: string): number {
  return byTarget[target].rate / byTarget[reference].rate;
}

/** A ratio that meets its target when it reaches `minimum`. */
function goal(name: string, value: number, minimum: number): void {
  goals.push({ goal: name, measured: `${value.toFixed(2)}×`, met: value >= minimum });
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

async function hotBookTargets(db: BenchDatabase, appOn: Target, appOff: Target, writers: Target[], baseline: Target): Promise<Record<string, Measured>> {
  const hot = await hotBook(db, writers, baseline.name);
  goal('hot-book ≥ 3× the baseline, coalescing on', ratio(hot, appOn.name, baseline.name), 3);
  goal('hot-book ≥ 1.0× the baseline, coalescing off', ratio(hot, appOff.name, baseline.name), 1);
  goals.push({ goal: 'hot-book p99 ≤ 100 ms', measured: `${hot[appOn.name].p99} ms (on), ${hot[appOff.name].p99} ms (off)`, met: Math.max(hot[appOn.name].p99, hot[appOff.name].p99) <= 100 });
  return hot;
}

async function organiserCall(target: Target, method: string, path: string, body: unknown): Promise<{ id: number }> {
  const response = await fetch(target.url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ORGANIZER_KEY}` }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: number };
}

/**
 * Hot-book on an event of an organiser with no webhook, then on one with a webhook to a local
 * receiver: the ratio of the two, whether every booking's message arrived, the lag from commit to
 * receipt, and how long the outbox took to drain once the load stopped.
 */
async function webhookDelivery(db: BenchDatabase, target: Target): Promise<void> {
  const receiverUrl = `http://127.0.0.1:${WEBHOOK_RECEIVER_PORT}`;
  const receiver = await start('webhook receiver', 'node', ['--import', 'tsx', 'bench/webhook-receiver.ts'], { ...process.env, PORT: String(WEBHOOK_RECEIVER_PORT) }, receiverUrl, '/stats');
  const eventBody = () => ({ name: 'Webhook bench', venue: 'Hall', date: new Date(Date.now() + 33 * DAY).toISOString(), ticket_categories: [{ name: 'General', price: 25, seats_limit: 1_000_000 }] });
  const stats = async (eventId: number) => (await (await fetch(`${receiverUrl}/stats?event=${eventId}`)).json()) as { announced: number; p50: number | null; p99: number | null };
  try {
    const byTarget: Record<string, Measured> = {};
    const quiet = await organiserCall(target, 'POST', '/events', eventBody());
    byTarget['no webhook'] = measured(await load({ url: target.url, duration: DURATION, requests: bookingRequest([{ id: quiet.id } as SeededEvent]) }));
    const webhook = await organiserCall(target, 'POST', '/webhooks', { url: `${receiverUrl}/hook`, events: ['booking.confirmed'] });
    const announced = await organiserCall(target, 'POST', '/events', eventBody());
    byTarget['one webhook'] = measured(await load({ url: target.url, duration: DURATION, requests: bookingRequest([{ id: announced.id } as SeededEvent]) }));
    const loadStopped = Date.now();
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // autocannon stops without waiting for the requests in flight, which still commit afterwards:
    // the count is final once it holds still (a poll that compared against a count read too early
    // stopped with 45 messages of late commits still to come).
    let bookings = (await db.categoryState(announced.id)).bookings;
    for (let settled = false; !settled; ) {
      await pause(250);
      const now = (await db.categoryState(announced.id)).bookings;
      settled = now === bookings;
      bookings = now;
    }
    const deadline = Date.now() + 300_000;
    while ((await stats(announced.id)).announced < bookings && Date.now() < deadline) await pause(50);
    const drainedSeconds = (Date.now() - loadStopped) / 1000;
    const { announced: arrived, p50, p99 } = await stats(announced.id);
    if (arrived !== bookings) failures.push(`webhooks: ${arrived} of ${bookings} bookings' messages arrived`);
    record('hot-book, one webhook', `bookings/s, ${CONNECTIONS} connections, ${DURATION} s, on one instance (${target.name}); the receiver is a process of its own`, byTarget, 'no webhook', [
      `${arrived} of ${bookings} bookings' booking.confirmed messages delivered`,
      `lag from commit to receipt p50 ${p50} ms, p99 ${p99} ms`,
      `outbox drained ${drainedSeconds.toFixed(1)} s after the load stopped`,
    ]);
    goal('hot-book with one webhook ≥ 0.9× with none', ratio(byTarget, 'one webhook', 'no webhook'), 0.9);
    await fetch(`${target.url}/webhooks/${webhook.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${BENCH_ORGANIZER_KEY}` } });
  } finally {
    await stop(receiver);
  }
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
  return { rate: transactions / elapsed, p50: 0, p99: 0, errors: 0, timeouts: 0, twoXx: transactions, cpu: {} };
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
  goal('hot two-line order ≥ 1.0× the baseline', ratio(byTarget, UNTRACED, baseline), 1);
}

/** How often a run of a fixed number of requests looks whether it is done: its timing's resolution. */
const AMOUNT_SAMPLE_MS = 10;

/** Every one of TICKETS_TO_SCAN tickets scanned once by 64 scanners: one conditional UPDATE each. */
async function checkIns(db: BenchDatabase, targets: Target[], baseline: string): Promise<void> {
  const byTarget: Record<string, Measured> = {};
  const notes: string[] = [];
  for (const target of targets) {
    // The warm-up before the scenarios books and reads: the door's path is compiled by these scans.
    await scanEach(db, target, TICKETS_TO_WARM_UP);
    const { result, admitted, statuses } = await scanEach(db, target, TICKETS_TO_SCAN);
    const exact = admitted === TICKETS_TO_SCAN && statuses[200] === TICKETS_TO_SCAN;
    if (!exact) failures.push(`check-in on ${target.name}: ${admitted} of ${TICKETS_TO_SCAN} tickets in, answers ${JSON.stringify(statuses)}`);
    byTarget[target.name] = measured(result);
    notes.push(`${target.name}: ${admitted} of ${TICKETS_TO_SCAN} tickets checked in, each once (answers ${JSON.stringify(statuses)}), after ${TICKETS_TO_WARM_UP} scans unmeasured`);
  }
  record('check-in', `scans/s of ${TICKETS_TO_SCAN} tickets, each once, ${CONNECTIONS} scanners`, byTarget, baseline, notes);
  goal('check-in ≥ 0.8× the baseline', ratio(byTarget, UNTRACED, baseline), 0.8);
}

/** Each of `count` new tickets of a new event scanned once; answers how many got in, and the answers by status. */
async function scanEach(db: BenchDatabase, target: Target, count: number): Promise<{ result: Result; admitted: number; statuses: Record<number, number> }> {
  const [event] = await db.insertEvents(1, [{ name: 'General', price: 25, seatsLimit: HUGE }], new Date(Date.now() + 33 * DAY));
  const { codes, scannerKey } = await db.ticketsToScan(event.id, count);
  let next = 0;
  const statuses: Record<number, number> = {};
  const result = await load({
    url: target.url,
    amount: codes.length,
    // autocannon sees that the amount is done only at its next sample, and that ends the run: at
    // its default of one a second, a run of about 5 s was timed as 5 or 6 s, whichever came next.
    sampleInt: AMOUNT_SAMPLE_MS,
    requests: [
      {
        method: 'POST',
        path: `/events/${event.id}/check-ins`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${scannerKey}` },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ code: codes[next++ % codes.length] }) }),
        onResponse: (status) => void (statuses[status] = (statuses[status] ?? 0) + 1),
      },
    ],
  });
  return { result, admitted: await db.checkedIn(event.id), statuses };
}

async function spreadBook(db: BenchDatabase, targets: Target[], baseline: string): Promise<Record<string, Measured>> {
  const byTarget: Record<string, Measured> = {};
  for (const target of targets) {
    const events = await db.insertEvents(100, [{ name: 'General', price: 25, seatsLimit: HUGE }], new Date(Date.now() + 40 * DAY));
    byTarget[target.name] = measured(await load({ url: target.url, duration: DURATION, requests: bookingRequest(events) }));
  }
  record('spread-book', `bookings/s over 100 events, ${CONNECTIONS} connections, ${DURATION} s`, byTarget, baseline);
  return byTarget;
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

/** A target of the read scenarios, under the name it has in their rows. */
interface Reader {
  target: Target;
  label: string;
}

const CACHE_OFF = 'app, cache off';
const CACHE_ON = `app, READ_CACHE_MS=${READ_CACHE_MS}`;
const BASELINE = 'baseline';
const LIMIT = 'limit';
/** The app as it ships is compared with the same SQL on bare Fastify; with its cache on, with the bytes from memory. */
const READ_REFERENCES = { [CACHE_OFF]: BASELINE, [CACHE_ON]: LIMIT };

/** The URLs the read scenarios load: the two list pages and the hot events' pages. */
interface ReadPaths {
  firstPage: string;
  deepPage: string;
  events: string[];
}

async function readPaths(db: BenchDatabase, listEvents: SeededEvent[]): Promise<ReadPaths> {
  const deep = cursorOf(await db.eventAt(Math.floor(LIST_EVENTS * 0.75)));
  const every = Math.floor(listEvents.length / HOT_EVENTS);
  return {
    firstPage: '/events?limit=50',
    deepPage: `/events?limit=50&cursor=${deep}`,
    events: listEvents.filter((_, i) => i % every === 0).slice(0, HOT_EVENTS).map((event) => `/events/${event.id}`),
  };
}

function anyOf(paths: string[]): string {
  return paths[Math.floor(Math.random() * paths.length)];
}

/** Each target first runs the scenario's requests for a moment unmeasured: the code they take is JIT-compiled, the pages cached. */
async function readScenario(readers: Reader[], scenario: string, metric: string, options: Omit<Options, 'url'>, expected: '2xx' | '3xx' = '2xx'): Promise<Record<string, Measured>> {
  const byTarget: Record<string, Measured> = {};
  for (const { target, label } of readers) {
    await load({ ...options, url: target.url, duration: smoke ? 1 : 2 });
    byTarget[label] = measured(await load({ ...options, url: target.url, duration: READ_DURATION }), expected);
  }
  const against = Object.fromEntries(Object.entries(READ_REFERENCES).filter(([label, reference]) => label in byTarget && reference in byTarget));
  record(scenario, metric, byTarget, against);
  return byTarget;
}

async function list(readers: Reader[], paths: ReadPaths, label = 'list'): Promise<{ first: Record<string, Measured>; deep: Record<string, Measured> }> {
  const first = await readScenario(readers, `${label} (first page)`, `GET ${paths.firstPage}, req/s, ${READ_DURATION} s`, { requests: [{ method: 'GET', path: paths.firstPage }] });
  const deep = await readScenario(readers, `${label} (deep page)`, `GET /events?limit=50&cursor=… (${LIST_EVENTS * 0.75} events deep), req/s, ${READ_DURATION} s`, { requests: [{ method: 'GET', path: paths.deepPage }] });
  return { first, deep };
}

function getOne(readers: Reader[], paths: ReadPaths): Promise<Record<string, Measured>> {
  return readScenario(readers, 'get-one', `GET /events/:id over ${paths.events.length} events, req/s, ${READ_DURATION} s`, {
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: anyOf(paths.events) }) }],
  });
}

/** Every client already holds the current answer: 304s, no bodies. */
function notModified(readers: Reader[], paths: ReadPaths, answers: LimitAnswers): Promise<Record<string, Measured>> {
  return readScenario(
    readers,
    'get-one, 304',
    `GET /events/:id with If-None-Match naming the current ETag, 304s/s, ${READ_DURATION} s`,
    {
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            const path = anyOf(paths.events);
            return { ...request, path, headers: { ...request.headers, 'if-none-match': answers[path].etag } };
          },
        },
      ],
    },
    '3xx',
  );
}

/** What the limit answers: the app's own answers, as the cached app sends them. */
type LimitAnswers = Record<string, { body: string; etag: string; cacheControl: string; link?: string }>;

async function answersOf(target: Target, paths: ReadPaths): Promise<LimitAnswers> {
  const answers: LimitAnswers = {};
  for (const path of [paths.firstPage, paths.deepPage, ...paths.events]) {
    const response = await fetch(target.url + path);
    if (!response.ok) throw new Error(`${target.name} answered ${response.status} to ${path}`);
    const link = response.headers.get('link') ?? undefined;
    answers[path] = { body: await response.text(), etag: response.headers.get('etag') ?? '', cacheControl: response.headers.get('cache-control') ?? '', link };
  }
  return answers;
}

async function startLimit(port: number, answers: LimitAnswers): Promise<Target> {
  const file = join(tmpdir(), `ticketing_bench_${process.pid}_limit.json`);
  writeFileSync(file, JSON.stringify(answers));
  const limit = await start(LIMIT, 'node', ['--import', 'tsx', 'bench/limit-server.ts'], { ...process.env, LIMIT_ANSWERS: file, PORT: String(port) }, `http://127.0.0.1:${port}`, Object.keys(answers)[0]);
  rmSync(file);
  // Its JIT warms up as the app's did.
  await load({ url: limit.url + anyOf(Object.keys(answers)), duration: smoke ? 1 : 3 });
  return limit;
}

/**
 * GET /events with filters over SEARCH_EVENTS more events (bench/seed.ts's words: a genre in 5 %
 * of them, a city in 1 %), next to the plain list's first page on the same database: what a search
 * costs against what a list page costs. A second page comes from the first page's Link header.
 */
async function search(db: BenchDatabase, targets: Target[], label = 'search'): Promise<void> {
  log(`${label}: seeding ${SEARCH_EVENTS} searchable events`);
  const seeded = await db.insertSearchableEvents(SEARCH_EVENTS, [{ name: 'Floor', price: 80, seatsLimit: 500 }, { name: 'Balcony', price: 45.5, seatsLimit: 300 }], new Date(Date.now() + 120 * DAY));
  await db.settle();
  const [genre, city] = [SEARCH_GENRES[0], SEARCH_CITIES[42]];
  const deepFrom = encodeURIComponent(seeded[Math.floor(SEARCH_EVENTS * 0.75)].date.toISOString());
  for (const target of targets) {
    for (const path of ['/events?limit=50', `/events?limit=50&q=${genre}`]) await load({ url: target.url + path, duration: smoke ? 1 : 2 });
    const first = await fetch(`${target.url}/events?limit=50&q=${genre}`);
    const secondPage = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    if (!secondPage) throw new Error(`${label}: the first page of q=${genre} has no next page`);
    const queries: [string, string][] = [
      ['list, first page', '/events?limit=50'],
      [`q, one word in 5 %`, `/events?limit=50&q=${genre}`],
      [`q, one word in 5 %, second page`, secondPage],
      [`q, one word in 1 %`, `/events?limit=50&q=${city.toLowerCase()}`],
      [`q, two words together in 0.05 %`, `/events?limit=50&q=${genre}+${city.toLowerCase()}`],
      [`q, a word of one event`, `/events?limit=50&q=night+${Math.floor(SEARCH_EVENTS / 2)}`],
      [`venue, in 1 %`, `/events?limit=50&venue=${city}`],
      [`available, from 75 % deep`, `/events?limit=50&available=true&from=${deepFrom}`],
    ];
    let listed: Measured | undefined;
    for (const [name, path] of queries) {
      const result = measured(await load({ url: target.url + path, duration: READ_DURATION }));
      listed ??= result;
      const notes = name === queries[0][0] ? [] : [`p50 ${(result.p50 / listed.p50).toFixed(2)}×, p99 ${(result.p99 / listed.p99).toFixed(2)}× the list's on the same database`];
      record(`${label} (${name})`, `GET ${path.slice(0, 40)}…, req/s, ${READ_DURATION} s, ${SEARCH_EVENTS} searchable events among the others`, { [target.name]: result }, undefined, notes);
    }
  }
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
      `baseline pool 10 connections; the limit is bare Fastify sending the cached app's bytes from memory; reads by get-one over ${HOT_EVENTS} events; ` +
      'every target measured back to back in this one run on the same database. ' +
      'The machine has 2 cores, shared with the load generator and MariaDB: absolute figures are noisy, compare the ratios.',
    '',
    '| scenario | metric | target | result | ratio |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    for (const [target, value] of Object.entries(row.values)) lines.push(`| ${row.scenario} | ${row.metric} | ${target} | ${value} | ${row.ratios[target] ?? ''} |`);
  }
  lines.push('', 'Targets:', '', '| target | measured | met? |', '| --- | --- | --- |');
  for (const { goal: name, measured: shown, met } of goals) lines.push(`| ${name} | ${shown} | ${met ? 'yes' : '**no**'} |`);
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
  const traced = otlpSink ? [await start(TRACED, ...appTarget(), { ...appEnvironment(3206, databaseUrl, 'on'), OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.endpoint }, 'http://127.0.0.1:3206', '/health/ready')] : [];
  const appCached = await start(CACHE_ON, ...appTarget(), appEnvironment(3204, databaseUrl, 'on', READ_CACHE_MS), 'http://127.0.0.1:3204', '/health/ready');
  const baselineEnv = { ...process.env, BASELINE_DATABASE_URL: databaseUrl, PORT: '3203', POOL_SIZE: '10' };
  const baseline = await start(BASELINE, 'node', ['--import', 'tsx', 'bench/baseline-server.ts'], baselineEnv, 'http://127.0.0.1:3203', '/events?limit=1');
  const db = await openMysql(MYSQL_URL, DATABASE);
  let limit: Target | undefined;
  try {
    const writers = [appOn, ...traced, appOff, baseline];
    if (ONLY_SEARCH) {
      await search(db, [appOn]);
      return {};
    }
    if (SCENARIO === 'webhooks') {
      await warmUp(db, [appOn]);
      await webhookDelivery(db, appOn);
      return {};
    }
    if (SCENARIO === 'check-in') {
      await warmUp(db, [appOn, baseline]);
      await checkIns(db, [appOn, baseline], baseline.name);
      return {};
    }
    if (SCENARIO === 'spread-book') {
      await warmUp(db, writers);
      await spreadBook(db, writers, baseline.name);
      return {};
    }
    if (SCENARIO === 'reads') {
      await warmUp(db, [appOn, appCached, baseline]);
      limit = await reads(db, appOn, [], appCached, baseline);
      return {};
    }
    if (SCENARIO === 'two-line') {
      await warmUp(db, [appOn, baseline]);
      await twoLineOrder(db, [appOn, baseline], baseline.name);
      return {};
    }
    if (SCENARIO === 'hot-book') {
      await warmUp(db, writers);
      await hotBookTargets(db, appOn, appOff, writers, baseline);
      return {};
    }
    log('MariaDB: warm-up');
    await warmUp(db, [...writers, appCached]);
    log('MariaDB: hot-book');
    const hot = await hotBookTargets(db, appOn, appOff, writers, baseline);
    log('MariaDB: hot-book with a webhook');
    await webhookDelivery(db, appOn);
    log('MariaDB: lock limit');
    const lockBound = await lockLimit(databaseUrl, db);
    record('hot-book vs lock limit', `bookings/s; the lock limit is the bare locking transaction, ${WORKERS_NOTE}`, { [appOn.name]: hot[appOn.name], 'lock limit': lockBound }, 'lock limit');
    log('MariaDB: hot two-line order');
    await twoLineOrder(db, [appOn, baseline], baseline.name);
    log('MariaDB: check-in');
    await checkIns(db, [appOn, baseline], baseline.name);
    log('MariaDB: spread-book');
    const spread = await spreadBook(db, writers, baseline.name);
    goal('spread-book ≥ 0.8× the baseline, coalescing on', ratio(spread, appOn.name, baseline.name), 0.8);
    goal('spread-book ≥ 0.8× the baseline, coalescing off', ratio(spread, appOff.name, baseline.name), 0.8);
    log('MariaDB: sell-out');
    await sellOut(db, writers, baseline.name);
    limit = await reads(db, appOn, traced, appCached, baseline);
    log('MariaDB: search');
    await search(db, [appOn, ...traced]);
  } finally {
    await db.close();
    for (const target of [appOn, ...traced, appOff, appCached, baseline, limit]) if (target) await stop(target);
  }
  return Object.fromEntries([appOn, ...traced, appOff, appCached, baseline, ...(limit ? [limit] : [])].map((target) => [target.name, target.peakRss]));
}

/** List pages, get-one and 304s: the app with the cache off and on, the SQL baseline and the limit. Answers the limit, for stopping. */
async function reads(db: BenchDatabase, appOn: Target, traced: Target[], appCached: Target, baseline: Target): Promise<Target> {
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
  // As after the search seed: the reader measured first would otherwise pay for the seed's flush.
  await db.settle();
  const paths = await readPaths(db, listEvents);
  const answers = await answersOf(appCached, paths);
  // The baseline must answer the same bytes, or the ratio would measure the answers' sizes.
  const baselineAnswers = await answersOf(baseline, paths);
  const differing = Object.keys(answers).filter((path) => baselineAnswers[path].body !== answers[path].body || baselineAnswers[path].etag !== answers[path].etag);
  if (differing.length > 0) failures.push(`the baseline's answer differs from the app's for ${differing.length} read paths, e.g. ${differing[0]}`);
  const limit = await startLimit(3205, answers);
  const readers: Reader[] = [
    { target: appOn, label: CACHE_OFF },
    ...traced.map((target) => ({ target, label: TRACED })),
    { target: appCached, label: CACHE_ON },
    { target: baseline, label: BASELINE },
    { target: limit, label: LIMIT },
  ];
  log('MariaDB: list');
  const pages = await list(readers, paths);
  log('MariaDB: get-one');
  const one = await getOne(readers, paths);
  log('MariaDB: get-one, 304');
  const unchanged = await notModified(readers.filter(({ label }) => label !== BASELINE), paths, answers);
  goal(`get-one: ${CACHE_ON} ≥ 0.5× the limit`, ratio(one, CACHE_ON, LIMIT), 0.5);
  goal(`list, first page: ${CACHE_ON} ≥ 0.5× the limit`, ratio(pages.first, CACHE_ON, LIMIT), 0.5);
  goal(`get-one: ${CACHE_OFF} ≥ 0.9× the baseline`, ratio(one, CACHE_OFF, BASELINE), 0.9);
  goal(`list, first page: ${CACHE_OFF} ≥ 0.9× the baseline`, ratio(pages.first, CACHE_OFF, BASELINE), 0.9);
  goal(`list, deep page: ${CACHE_OFF} ≥ 0.9× the baseline`, ratio(pages.deep, CACHE_OFF, BASELINE), 0.9);
  goal(`304: ${CACHE_ON} ≥ 0.6× the limit`, ratio(unchanged, CACHE_ON, LIMIT), 0.6);
  return limit;
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
    if (ONLY_SEARCH) {
      await search(db, [appOn], 'SQLite search');
      return {};
    }
    log('SQLite: warm-up');
    await warmUp(db, [appOn, appOff]);
    log('SQLite: hot-book');
    await hotBook(db, [appOn, appOff], undefined, 'SQLite hot-book');
    const listEvents = await db.insertEvents(LIST_EVENTS, [{ name: 'Floor', price: 80, seatsLimit: 500 }, { name: 'Balcony', price: 45.5, seatsLimit: 300 }, { name: 'VIP', price: 150, seatsLimit: 50 }], new Date(Date.now() + 60 * DAY));
    await db.settle();
    log('SQLite: list');
    const label = 'SQLite app, cache off';
    const { first, deep } = await list([{ target: appOn, label }], await readPaths(db, listEvents), 'SQLite list');
    goal('SQLite list: deep page ≥ 0.8× the first page', deep[label].rate / first[label].rate, 0.8);
    for (const [page, m] of [['first', first[label]], ['deep', deep[label]]] as const) {
      goals.push({ goal: `SQLite list, ${page} page: no timeout, p99 < 10× p50`, measured: `${m.timeouts} timeouts, p99 ${m.p99} ms = ${(m.p99 / m.p50).toFixed(1)}× p50 ${m.p50} ms`, met: m.timeouts === 0 && m.p99 < 10 * m.p50 });
    }
    log('SQLite: search');
    await search(db, [appOn], 'SQLite search');
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
    ...(only === 'mysql' || MYSQL_ONLY_SCENARIOS.includes(SCENARIO ?? '') ? {} : await onSqlite()),
  };
  const apps = Object.entries(rss).filter(([target]) => target.includes('app'));
  if (apps.length > 0) {
    const peak = Math.max(...apps.map(([, mb]) => mb));
    goals.push({ goal: 'app RSS under load ≤ 300 MB', measured: `${peak} MB at most (${apps.length} app processes)`, met: peak <= 300 });
  }
  otlpSink?.server.close();
  const text = table(rss);
  process.stdout.write(`${text}\n`);
  if (!smoke && !only && SCENARIO === undefined) writeResults(text);
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
