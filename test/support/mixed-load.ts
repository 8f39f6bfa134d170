import type { DataSource } from 'typeorm';
import { call, type ApiAnswer } from './api-client.js';
import { lifecycleCounters } from './fixtures.js';

/**
 * A burst of concurrent bookings, holds, confirms, releases and cancels at a few hot categories,
 * spread round-robin over one or more app instances, with a ledger of what the clients were told.
 * Shared by the multi-instance and SIGKILL tests and the fault scripts.
 */
export interface MixedLoadOptions {
  baseUrls: string[];
  eventId: number;
  categories: string[];
  /** Client flows to run in total (a flow is 1–2 requests). */
  flows: number;
  /** Flows in flight at once. */
  concurrency: number;
  /** Stop starting new flows after this long, whatever `flows` says. */
  maxDurationMs: number;
  /** Stop starting new flows once this resolves (e.g. a fault was injected). */
  stop?: Promise<unknown>;
  seed?: number;
}

export interface Ledger {
  /** Every answer, by the request kind and status or code ("book 201", "book SOLD_OUT", "hold ECONNRESET"). */
  outcomes: Map<string, number>;
  requests: number;
  /** Bookings the clients were answered 201 for (POST /book, or POST /holds/:ref/confirm creating one). */
  created: { reference: string; category: string; quantity: number }[];
  /** References whose cancellation the clients saw answered 200. */
  cancelled: Set<string>;
  /** References whose cancellation got no answer or a 503: it may or may not have happened. */
  cancelUncertain: Set<string>;
  /** Answers that are neither success nor an expected refusal: a 5xx other than 503, a bad shape. */
  unexpected: string[];
  latenciesMs: number[];
  /** Every answer with when it started and ended (epoch ms), for fault scripts that look at windows of time. */
  timeline: { kind: string; label: string; status: number; startedAt: number; endedAt: number }[];
}

/** Refusals the rules allow under contention; anything else 4xx/5xx is unexpected. */
const EXPECTED_REFUSALS = new Set(['SOLD_OUT', 'INSUFFICIENT_SEATS', 'BUSY_TRY_AGAIN', 'DATABASE_UNAVAILABLE', 'HOLD_EXPIRED']);

/** A small seeded generator (mulberry32), so a failing mix can be replayed exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function newLedger(): Ledger {
  return { outcomes: new Map(), requests: 0, created: [], cancelled: new Set(), cancelUncertain: new Set(), unexpected: [], latenciesMs: [], timeline: [] };
}

function record(ledger: Ledger, kind: string, answer: ApiAnswer): ApiAnswer {
  const label = answer.error ?? (answer.status < 400 ? String(answer.status) : String(answer.body.code));
  const key = `${kind} ${label}`;
  ledger.outcomes.set(key, (ledger.outcomes.get(key) ?? 0) + 1);
  ledger.requests++;
  const endedAt = Date.now();
  ledger.timeline.push({ kind, label, status: answer.status, startedAt: endedAt - answer.ms, endedAt });
  if (answer.error === undefined) ledger.latenciesMs.push(answer.ms);
  const refused = answer.status >= 400;
  if (refused && (typeof answer.body.code !== 'string' || answer.body.statusCode !== answer.status)) {
    ledger.unexpected.push(`${key}: ${JSON.stringify(answer.body)}`);
  } else if (refused && !EXPECTED_REFUSALS.has(answer.body.code as string)) {
    ledger.unexpected.push(`${key}: ${JSON.stringify(answer.body)}`);
  }
  return answer;
}

export async function runMixedLoad(options: MixedLoadOptions, ledger: Ledger = newLedger()): Promise<Ledger> {
  const random = seededRandom(options.seed ?? 7);
  const deadline = Date.now() + options.maxDurationMs;
  let stopped = false;
  void options.stop?.then(() => (stopped = true));
  let started = 0;
  let turn = 0;
  const nextUrl = () => options.baseUrls[turn++ % options.baseUrls.length];

  const flow = async (): Promise<void> => {
    const category = options.categories[Math.floor(random() * options.categories.length)];
    const quantity = 1 + Math.floor(random() * 3);
    const kind = random();
    const body = { ticket_category: category, quantity, customer_name: 'Load Test' };
    if (kind < 0.45) {
      const booked = record(ledger, 'book', await call(nextUrl(), 'POST', `/events/${options.eventId}/book`, body));
      if (booked.status === 201) ledger.created.push({ reference: booked.body.reference as string, category, quantity });
      if (booked.status === 201 && kind < 0.15) {
        const reference = booked.body.reference as string;
        const cancelled = record(ledger, 'cancel', await call(nextUrl(), 'POST', `/bookings/${reference}/cancel`));
        if (cancelled.status === 200) ledger.cancelled.add(reference);
        else if (cancelled.status === 0 || cancelled.status === 503) ledger.cancelUncertain.add(reference);
      }
      return;
    }
    const held = record(ledger, 'hold', await call(nextUrl(), 'POST', `/events/${options.eventId}/holds`, body));
    if (held.status !== 201) return;
    const reference = held.body.reference as string;
    if (kind < 0.8) {
      const confirmed = record(ledger, 'confirm', await call(nextUrl(), 'POST', `/holds/${reference}/confirm`));
      if (confirmed.status === 201) ledger.created.push({ reference, category, quantity });
      return;
    }
    record(ledger, 'release', await call(nextUrl(), 'DELETE', `/holds/${reference}`));
  };

  const worker = async (): Promise<void> => {
    while (!stopped && started < options.flows && Date.now() < deadline) {
      started++;
      await flow();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return ledger;
}

export interface InvariantReport {
  checks: number;
  failures: string[];
  bookingsInDatabase: number;
}

/**
 * Compares the database with what the clients were told: every 201 is a booking row (cancelled
 * exactly when the client saw its cancellation succeed), and for every category
 * seats_sold = initial + confirmed quantities, seats_held = active holds, sold + held ≤ limit.
 */
export async function checkAgainstDatabase(
  dataSource: DataSource,
  eventId: number,
  initialSold: Record<string, number>,
  ledger: Ledger,
): Promise<InvariantReport> {
  const failures: string[] = [];
  let checks = 0;
  const check = (ok: boolean, failure: string) => {
    checks++;
    if (!ok) failures.push(failure);
  };
  const rows: { reference: string; status: string; quantity: number | string }[] = await dataSource.query(
    'SELECT reference, status, quantity FROM bookings WHERE event_id = ?',
    [eventId],
  );
  const stored = new Map(rows.map((row) => [row.reference, row]));
  for (const created of ledger.created) {
    const row = stored.get(created.reference);
    check(row !== undefined, `booking ${created.reference} answered 201 is not in the database`);
    check(row === undefined || Number(row.quantity) === created.quantity, `booking ${created.reference} has the wrong quantity`);
    const shouldBeCancelled = ledger.cancelled.has(created.reference);
    if (ledger.cancelUncertain.has(created.reference)) continue;
    check(row === undefined || (row.status === 'cancelled') === shouldBeCancelled, `booking ${created.reference} has status ${row?.status}`);
  }
  for (const [category, initial] of Object.entries(initialSold)) {
    const counters = await lifecycleCounters(dataSource, eventId, category);
    check(counters.seatsSold === initial + counters.confirmedBookedQuantity, `${category}: seats_sold ${counters.seatsSold} ≠ ${initial} + ${counters.confirmedBookedQuantity} confirmed`);
    check(counters.seatsHeld === counters.activeHeldQuantity, `${category}: seats_held ${counters.seatsHeld} ≠ ${counters.activeHeldQuantity} in active holds`);
    check(counters.seatsSold + counters.seatsHeld <= counters.seatsLimit, `${category}: sold ${counters.seatsSold} + held ${counters.seatsHeld} > limit ${counters.seatsLimit}`);
  }
  return { checks, failures, bookingsInDatabase: rows.length };
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

export function summarise(ledger: Ledger): Record<string, unknown> {
  return {
    requests: ledger.requests,
    bookings_created: ledger.created.length,
    cancelled: ledger.cancelled.size,
    outcomes: Object.fromEntries([...ledger.outcomes].sort(([a], [b]) => a.localeCompare(b))),
    p50_ms: Math.round(percentile(ledger.latenciesMs, 0.5)),
    p99_ms: Math.round(percentile(ledger.latenciesMs, 0.99)),
    unexpected: ledger.unexpected.slice(0, 10),
  };
}
