import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createPool, type Pool } from 'mysql2';
import type { DataSource } from 'typeorm';
import type { MysqlUrl } from '../config/environment.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import { boundValues, type Queryable, type SqlRunner } from './built-query.js';
import { replicaPoolOptions } from './data-source-options.js';

/**
 * How long a replica may take to connect, or to answer a read once connected, before it is
 * skipped: the read then runs elsewhere, and a buyer waits at most this much longer for it.
 */
export const REPLICA_TIMEOUT_MS = 1000;
/** How often a skipped replica is probed until it answers again. */
export const REPLICA_RETRY_MS = 1000;

type Rows = Record<string, unknown>[];

/** One replica's connections, as ReadReplicas uses them. */
export interface ReplicaClient {
  /** `host:port`: the replica's name in logs and in the db_replica_up metric. */
  readonly name: string;
  query(sql: string, values: unknown[]): Promise<Rows>;
  close(): Promise<void>;
}

/** A replica that failed a read: the read is run again elsewhere rather than answered with this. */
class ReplicaFailed extends Error {
  constructor(
    readonly replica: string,
    cause: unknown,
  ) {
    super(`Read replica ${replica} failed: ${String(cause)}`, { cause });
  }
}

interface Replica {
  client: ReplicaClient;
  /** The replica's connections under the primary's dialect and metadata, for BuiltQuery. */
  runner: SqlRunner;
  up: boolean;
  probe?: NodeJS.Timeout;
}

/**
 * Where the public reads run (GET /events, GET /events/:id): on the replicas of
 * DATABASE_REPLICA_URLS, one after the other, or on the primary when there are none. Everything
 * else reads the primary. A replica that fails a read — refused, down, silent past
 * REPLICA_TIMEOUT_MS, or missing what the query needs — is skipped at once (the read runs on the
 * next one, or on the primary when none is left) and probed every REPLICA_RETRY_MS until it
 * answers. A replica may lag behind the primary: what it shows of seats can be behind, never
 * what is sold, which the seat ledger decides under the primary's row locks.
 */
export class ReadReplicas implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadReplicas.name);
  private readonly replicas: Replica[];
  private turn = 0;
  private closed = false;

  constructor(
    private readonly primary: DataSource,
    clients: ReplicaClient[],
    private readonly metrics: MetricsService,
    private readonly retryMs = REPLICA_RETRY_MS,
  ) {
    this.replicas = clients.map((client) => ({ client, runner: this.runnerOn(client), up: true }));
    for (const replica of this.replicas) metrics.recordReplicaState(replica.client.name, true);
  }

  /** A replica that is down at start-up is skipped from the first read on. */
  onApplicationBootstrap(): void {
    for (const replica of this.replicas) void this.check(replica);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const replica of this.replicas) clearTimeout(replica.probe);
    await Promise.all(this.replicas.map((replica) => replica.client.close()));
  }

  /** Runs `work` on the next replica that is up, on another if it fails there, on the primary when none is left. */
  async read<T>(work: (source: Queryable) => Promise<T>): Promise<T> {
    for (let tried = 0; tried < this.replicas.length; tried++) {
      const replica = this.replicas[this.turn];
      this.turn = (this.turn + 1) % this.replicas.length;
      if (!replica.up) continue;
      try {
        return await work(replica.runner);
      } catch (error) {
        if (!(error instanceof ReplicaFailed)) throw error;
        this.skip(replica, error);
      }
    }
    return work(this.primary);
  }

  private runnerOn(client: ReplicaClient): SqlRunner {
    return {
      connection: this.primary,
      query: (sql, values) =>
        client.query(sql, values).catch((error: unknown) => {
          throw new ReplicaFailed(client.name, error);
        }),
    };
  }

  private skip(replica: Replica, error: ReplicaFailed): void {
    if (!replica.up) return;
    replica.up = false;
    this.metrics.recordReplicaState(replica.client.name, false);
    this.logger.warn(`${error.message}; skipped until it answers again`);
    this.scheduleProbe(replica);
  }

  private scheduleProbe(replica: Replica): void {
    if (this.closed) return;
    replica.probe = setTimeout(() => void this.check(replica), this.retryMs);
    replica.probe.unref();
  }

  private async check(replica: Replica): Promise<void> {
    try {
      await replica.runner.query('SELECT 1', []);
    } catch (error) {
      if (replica.up) this.skip(replica, error as ReplicaFailed);
      else this.scheduleProbe(replica);
      return;
    }
    if (replica.up || this.closed) return;
    replica.up = true;
    this.metrics.recordReplicaState(replica.client.name, true);
    this.logger.log(`Read replica ${replica.client.name} answers again`);
  }
}

/** A replica's mysql2 pool; a read that outlasts REPLICA_TIMEOUT_MS has its connection destroyed. */
export class Mysql2Replica implements ReplicaClient {
  readonly name: string;
  private readonly pool: Pool;

  constructor(url: MysqlUrl, poolSize: number) {
    this.name = `${url.host}:${url.port}`;
    this.pool = createPool(replicaPoolOptions(url, poolSize, REPLICA_TIMEOUT_MS));
    // mysql2 listens for a pooled connection's first error only; a second one, unheard, would crash
    // the process. A replica going away is the failure of the read in flight, reported there.
    this.pool.on('connection', (connection) => connection.on('error', () => undefined));
  }

  /** Prepared once per connection, as the primary's pooled reads are (see BuiltQuery). */
  query(sql: string, values: unknown[]): Promise<Rows> {
    return new Promise((resolve, reject) => {
      this.pool.getConnection((connectError, connection) => {
        if (connectError) {
          reject(connectError);
          return;
        }
        // Counted from the connection's checkout, not the wait for it: a busy pool is not a dead replica.
        const timer = setTimeout(() => {
          connection.destroy();
          reject(new Error(`no answer within ${REPLICA_TIMEOUT_MS} ms`));
        }, REPLICA_TIMEOUT_MS);
        connection.execute(sql, boundValues(values), (queryError, rows) => {
          clearTimeout(timer);
          connection.release();
          if (queryError) reject(queryError);
          else resolve(rows as Rows);
        });
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.pool.end(() => resolve()));
  }
}
