import { jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { QueryFailedError, type DataSource } from 'typeorm';
import { ErrorCode } from '../common/error-code.js';
import type { Environment } from '../config/environment.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import { TransactionRunner } from './transaction-runner.js';

function mysqlError(code: string): QueryFailedError {
  return new QueryFailedError('SELECT …', [], Object.assign(new Error(code), { code }));
}

/** MySQL transactions run on query runners whose commits fail in turn with `failures`; SQLite ones through dataSource.transaction. */
function runnerFailingWith(failures: Error[], type: 'mysql' | 'better-sqlite3' = 'mysql') {
  const queue = [...failures];
  const statements: string[] = [];
  const connection = {};
  const createQueryRunner = jest.fn(() => ({
    connect: async () => connection,
    query: async (sql: string) => void statements.push(sql),
    startTransaction: async () => void statements.push('START TRANSACTION'),
    commitTransaction: async () => {
      const failure = queue.shift();
      if (failure) throw failure;
      statements.push('COMMIT');
    },
    rollbackTransaction: async () => void statements.push('ROLLBACK'),
    release: async () => undefined,
    manager: {},
  }));
  const transaction = jest.fn(async (work: (manager: unknown) => Promise<unknown>) => work({}));
  const dataSource = { options: { type }, transaction, createQueryRunner, manager: { pool: true } } as unknown as DataSource;
  const config = { get: () => 5 } as unknown as ConfigService<Environment, true>;
  const metrics = { recordLockRetry: jest.fn() };
  return { runner: new TransactionRunner(dataSource, config, metrics as unknown as MetricsService), attempts: createQueryRunner, metrics, statements };
}

describe('TransactionRunner', () => {
  it('retries a deadlocked transaction and returns its result', async () => {
    const { runner, attempts, metrics } = runnerFailingWith([mysqlError('ER_LOCK_DEADLOCK'), mysqlError('ER_LOCK_DEADLOCK')]);
    await expect(runner.run(async () => 'booked')).resolves.toBe('booked');
    expect(attempts).toHaveBeenCalledTimes(3);
    expect(metrics.recordLockRetry).toHaveBeenCalledTimes(2);
  });

  it('gives up after a bounded number of deadlocks with BUSY_TRY_AGAIN', async () => {
    const { runner, attempts } = runnerFailingWith(Array.from({ length: 10 }, () => mysqlError('ER_LOCK_DEADLOCK')));
    await expect(runner.run(async () => 'booked')).rejects.toMatchObject({ code: ErrorCode.BusyTryAgain });
    expect(attempts).toHaveBeenCalledTimes(4);
  });

  it('answers a lock wait timeout with BUSY_TRY_AGAIN at once: the buyer has already waited', async () => {
    const { runner, attempts } = runnerFailingWith([mysqlError('ER_LOCK_WAIT_TIMEOUT')]);
    await expect(runner.run(async () => 'booked')).rejects.toMatchObject({ code: ErrorCode.BusyTryAgain });
    expect(attempts).toHaveBeenCalledTimes(1);
  });

  it('passes other failures through untouched, after rolling back', async () => {
    const failure = mysqlError('ER_NO_SUCH_TABLE');
    const { runner, statements } = runnerFailingWith([failure]);
    await expect(runner.run(async () => 'booked')).rejects.toBe(failure);
    expect(statements.at(-1)).toBe('ROLLBACK');
  });

  it('bounds lock waits and reads committed rows, set once per pooled connection before its first transaction', async () => {
    const { runner, statements } = runnerFailingWith([]);
    await runner.run(async () => 'first');
    await runner.run(async () => 'second');
    expect(statements).toEqual([
      'SET SESSION innodb_lock_wait_timeout = ?',
      'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
      'START TRANSACTION',
      'COMMIT',
      'START TRANSACTION',
      'COMMIT',
    ]);
  });

  it('runs SQLite write transactions one after another', async () => {
    const { runner } = runnerFailingWith([], 'better-sqlite3');
    const order: string[] = [];
    const slow = runner.run(async () => {
      order.push('first starts');
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('first ends');
    });
    const fast = runner.run(async () => {
      order.push('second runs');
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['first starts', 'first ends', 'second runs']);
  });

  it('runs statements that are atomic alone on the pool without a transaction on MySQL', async () => {
    const { runner, attempts, statements } = runnerFailingWith([]);
    await expect(runner.runStatements(async (manager) => manager)).resolves.toEqual({ pool: true });
    expect(attempts).not.toHaveBeenCalled();
    expect(statements).toEqual([]);
  });

  it('queues them behind the write transactions on SQLite', async () => {
    const { runner } = runnerFailingWith([], 'better-sqlite3');
    const order: string[] = [];
    const transaction = runner.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('transaction');
    });
    const statements = runner.runStatements(async () => void order.push('statements'));
    await Promise.all([transaction, statements]);
    expect(order).toEqual(['transaction', 'statements']);
  });
});
