import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { BusyTryAgainError } from '../common/domain-error.js';
import type { Environment } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { driverErrorCode } from './database-errors.js';

const MAX_DEADLOCK_RETRIES = 3;
const MYSQL_DEADLOCK = 'ER_LOCK_DEADLOCK';
const MYSQL_LOCK_WAIT_TIMEOUT = 'ER_LOCK_WAIT_TIMEOUT';

export type LockMode = 'pessimistic_write' | undefined;

/**
 * Runs write transactions the same way on both databases.
 * MySQL: row locks taken inside the work; deadlocks are retried a few times, a lock wait that
 * times out becomes a retryable 503. SQLite: TypeORM's single connection cannot interleave
 * transactions and has no FOR UPDATE, so write transactions run strictly one after another.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly isSqlite: boolean;
  private readonly lockWaitTimeoutSeconds: number;
  private readonly connectionsWithLockTimeout = new WeakSet<object>();
  private sqliteTail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
    private readonly metrics: MetricsService,
  ) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
    this.lockWaitTimeoutSeconds = config.get('LOCK_WAIT_TIMEOUT_SECONDS', { infer: true });
  }

  /** The lock to put on rows read for update: none where the whole transaction is already exclusive. */
  get writeLock(): LockMode {
    return this.isSqlite ? undefined : 'pessimistic_write';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.isSqlite ? this.runSerialised(work) : this.runWithRetries(work);
  }

  private runSerialised<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = this.sqliteTail.then(() => this.dataSource.transaction(work));
    this.sqliteTail = result.catch(() => undefined);
    return result;
  }

  private async runWithRetries<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (manager) => {
          await this.applyLockWaitTimeout(manager);
          return work(manager);
        });
      } catch (error) {
        const code = driverErrorCode(error);
        if (code === MYSQL_DEADLOCK && attempt < MAX_DEADLOCK_RETRIES) {
          this.logger.warn(`Deadlock, retrying (attempt ${attempt + 1} of ${MAX_DEADLOCK_RETRIES})`);
          this.metrics.recordLockRetry();
          await sleep(5 + Math.random() * 20 * (attempt + 1));
          continue;
        }
        if (code === MYSQL_DEADLOCK || code === MYSQL_LOCK_WAIT_TIMEOUT) throw new BusyTryAgainError();
        throw error;
      }
    }
  }

  /** Once per pooled connection: the server default (50 s) would hold a buyer far too long. */
  private async applyLockWaitTimeout(manager: EntityManager): Promise<void> {
    const connection = (manager.queryRunner as { databaseConnection?: object } | undefined)
      ?.databaseConnection;
    if (!connection || this.connectionsWithLockTimeout.has(connection)) return;
    await manager.query(`SET SESSION innodb_lock_wait_timeout = ${this.lockWaitTimeoutSeconds}`);
    this.connectionsWithLockTimeout.add(connection);
  }
}
