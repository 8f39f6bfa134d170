import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { BusyTryAgainError } from '../common/domain-error.js';
import type { Environment } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { driverErrorCode } from './database-errors.js';
import { ImmediateWrites, StatementPipeline, type CommitWrites } from './statement-pipeline.js';

const MAX_DEADLOCK_RETRIES = 3;
const MYSQL_DEADLOCK = 'ER_LOCK_DEADLOCK';
const MYSQL_LOCK_WAIT_TIMEOUT = 'ER_LOCK_WAIT_TIMEOUT';

export type LockMode = 'pessimistic_write' | undefined;

/** The work of one write transaction: statements through the manager, writes nobody waits for through `writes`. */
export type TransactionWork<T> = (manager: EntityManager, writes: CommitWrites) => Promise<T>;

/**
 * Runs write transactions the same way on both databases.
 * MySQL: row locks taken inside the work; deadlocks are retried a few times, a lock wait that
 * times out becomes a retryable 503; statements are pipelined (see StatementPipeline). SQLite: TypeORM's single connection cannot interleave
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

  run<T>(work: TransactionWork<T>): Promise<T> {
    return this.isSqlite ? this.runSerialised(work) : this.runWithRetries(work);
  }

  private runSerialised<T>(work: TransactionWork<T>): Promise<T> {
    const result = this.sqliteTail.then(() =>
      this.dataSource.transaction(async (manager) => {
        const writes = new ImmediateWrites(manager);
        const outcome = await work(manager, writes);
        await writes.settled();
        return outcome;
      }),
    );
    this.sqliteTail = result.catch(() => undefined);
    return result;
  }

  private async runWithRetries<T>(work: TransactionWork<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.runPipelined(work);
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

  private async runPipelined<T>(work: TransactionWork<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const connection = (await runner.connect()) as object;
      const pipeline = new StatementPipeline(runner);
      try {
        if (!this.connectionsWithLockTimeout.has(connection)) {
          // Once per pooled connection: the server default (50 s) would hold a buyer far too long.
          const applied = pipeline.add([`SET SESSION innodb_lock_wait_timeout = ${this.lockWaitTimeoutSeconds}`, []]);
          void applied.then(() => this.connectionsWithLockTimeout.add(connection), () => undefined);
        }
        const outcome = await work(pipeline.manager, pipeline);
        await pipeline.commit();
        return outcome;
      } catch (error) {
        // The work's own error is the answer; a connection too broken to roll back is dropped by the pool.
        await pipeline.rollback().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}
