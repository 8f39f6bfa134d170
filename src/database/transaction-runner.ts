import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager, type QueryRunner } from 'typeorm';
import { BusyTryAgainError } from '../common/domain-error.js';
import type { Environment } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { driverErrorCode } from './database-errors.js';

const MAX_DEADLOCK_RETRIES = 3;
const MYSQL_DEADLOCK = 'ER_LOCK_DEADLOCK';
const MYSQL_LOCK_WAIT_TIMEOUT = 'ER_LOCK_WAIT_TIMEOUT';

/**
 * Runs write transactions the same way on both databases.
 * MySQL: row locks are taken inside the work; a deadlock is retried a few times, a lock wait that
 * times out becomes a retryable 503. SQLite: TypeORM's single connection cannot interleave
 * transactions and has no FOR UPDATE, so write transactions run strictly one after another.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  readonly isSqlite: boolean;
  private readonly lockWaitTimeoutSeconds: number;
  private readonly preparedConnections = new WeakSet<object>();
  private sqliteTail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
    private readonly metrics: MetricsService,
  ) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
    this.lockWaitTimeoutSeconds = config.get('LOCK_WAIT_TIMEOUT_SECONDS', { infer: true });
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.isSqlite ? this.serialised(() => this.dataSource.transaction(work)) : this.retryingDeadlocks(() => this.runOnMysql(work));
  }

  /**
   * Runs writes that are each atomic on their own (one conditional UPDATE, say) without a
   * transaction around them on MySQL, saving its round trips; on SQLite they still queue behind the
   * write transactions, since the one connection would otherwise run them inside another's.
   */
  runStatements<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.isSqlite ? this.run(work) : work(this.dataSource.manager);
  }

  /** Runs `transaction` after every SQLite write transaction queued before it has finished. */
  serialised<T>(transaction: () => Promise<T>): Promise<T> {
    const result = this.sqliteTail.then(transaction);
    this.sqliteTail = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs a MySQL transaction again when the server chose it as a deadlock victim; a deadlock that
   * keeps recurring or a lock wait past the bound is a 503 the client may retry.
   */
  async retryingDeadlocks<T>(attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (error) {
        const code = driverErrorCode(error);
        if (code === MYSQL_DEADLOCK && retry < MAX_DEADLOCK_RETRIES) {
          this.logger.warn(`Deadlock, retrying (attempt ${retry + 1} of ${MAX_DEADLOCK_RETRIES})`);
          this.metrics.recordLockRetry();
          await sleep(5 + Math.random() * 20 * (retry + 1));
          continue;
        }
        if (code === MYSQL_DEADLOCK || code === MYSQL_LOCK_WAIT_TIMEOUT) throw new BusyTryAgainError();
        throw error;
      }
    }
  }

  /**
   * Runs `use` on a pooled MySQL connection (TypeORM's public QueryRunner.connect()), set up once
   * per connection for how every write here works. Lock waits are bounded: the server's default of
   * 50 s would hold a buyer far too long. Reads see what is committed when they run (READ
   * COMMITTED), not a snapshot from the transaction's first read: correctness comes from row locks,
   * and a row re-read once its lock is held must be the row as it is, not as it was before the wait.
   */
  async onMysqlConnection<T>(use: (runner: QueryRunner, connection: object) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const connection = (await runner.connect()) as object;
      if (!this.preparedConnections.has(connection)) {
        await runner.query('SET SESSION innodb_lock_wait_timeout = ?', [this.lockWaitTimeoutSeconds]);
        await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
        this.preparedConnections.add(connection);
      }
      return await use(runner, connection);
    } finally {
      await runner.release();
    }
  }

  private runOnMysql<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.onMysqlConnection(async (runner) => {
      await runner.startTransaction();
      try {
        const outcome = await work(runner.manager);
        await runner.commitTransaction();
        return outcome;
      } catch (error) {
        // The work's own error is the answer; a connection too broken to roll back is dropped by the pool.
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    });
  }
}
