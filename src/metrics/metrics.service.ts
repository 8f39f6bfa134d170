import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** What a booking attempt ended in: `created`, or the error code in lower case (`sold_out`, …). */
export type BookingOutcome = string;

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one) so
 * that each application instance, including each test app, counts only its own traffic.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly bookings = new Counter({
    name: 'bookings_total',
    help: 'Booking attempts that reached the booking service, by outcome (created, sold_out, insufficient_seats, …).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly lockRetries = new Counter({
    name: 'db_lock_retries_total',
    help: 'Write transactions run again after the database chose them as a deadlock victim (MySQL).',
    registers: [this.registry],
  });

  private readonly rateLimitStoreErrors = new Counter({
    name: 'rate_limit_store_errors_total',
    help: 'Public writes let through without being counted because the rate-limit store (Redis) could not be reached.',
    registers: [this.registry],
  });

  private readonly replicaUp = new Gauge({
    name: 'db_replica_up',
    help: 'Whether each read replica (DATABASE_REPLICA_URLS, by host:port) takes the public reads: 1, or 0 while it is skipped.',
    labelNames: ['replica'] as const,
    registers: [this.registry],
  });

  constructor(dataSource: DataSource) {
    new Gauge({
      name: 'db_pool_connections_in_use',
      help: 'Database connections checked out of the pool right now (MySQL; always 0 on embedded SQLite).',
      registers: [this.registry],
      collect() {
        this.set(connectionsInUse(dataSource));
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  recordBooking(outcome: BookingOutcome): void {
    this.bookings.inc({ outcome });
  }

  recordLockRetry(): void {
    this.lockRetries.inc();
  }

  recordRateLimitStoreError(): void {
    this.rateLimitStoreErrors.inc();
  }

  recordReplicaState(replica: string, up: boolean): void {
    this.replicaUp.set({ replica }, up ? 1 : 0);
  }
}

interface Mysql2Pool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
}

/**
 * mysql2's pool has no public counter: it keeps every connection and the idle ones in two
 * queues, and the difference is the number in use.
 */
function connectionsInUse(dataSource: DataSource): number {
  const pool = (dataSource.driver as { pool?: Mysql2Pool }).pool;
  if (!pool?._allConnections || !pool._freeConnections) return 0;
  return pool._allConnections.length - pool._freeConnections.length;
}
