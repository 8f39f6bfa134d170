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

/** MySQL transactions run on a query runner whose statements fail in turn with `failures`; SQLite ones through dataSource.transaction. */
function runnerFailingWith(failures: Error[], type: 'mysql' | 'better-sqlite3' = 'mysql') {
  const queue = [...failures];
  const query = jest.fn(async (sql: string) => {
    if (sql === 'ROLLBACK') return [];
    const failure = queue.shift();
    if (failure) throw failure;
    return [];
  });
  const transaction = jest.fn(async (work: (manager: unknown) => Promise<unknown>) => work({ query }));
  const createQueryRunner = jest.fn(() => ({ connect: async () => ({}), query, release: async () => undefined, manager: { query } }));
  const dataSource = { options: { type }, transaction, createQueryRunner } as unknown as DataSource;
  const config = { get: () => 5 } as unknown as ConfigService<Environment, true>;
  const metrics = { recordLockRetry: jest.fn() };
  return { runner: new TransactionRunner(dataSource, config, metrics as unknown as MetricsService), transactions: createQueryRunner, metrics };
}

describe('TransactionRunner', () => {
  it('retries a deadlocked transaction and returns its result', async () => {
    const { runner, transactions, metrics } = runnerFailingWith([mysqlError('ER_LOCK_DEADLOCK'), mysqlError('ER_LOCK_DEADLOCK')]);
    await expect(runner.run(async () => 'booked')).resolves.toBe('booked');
    expect(transactions).toHaveBeenCalledTimes(3);
    expect(metrics.recordLockRetry).toHaveBeenCalledTimes(2);
  });

  it('gives up after a bounded number of deadlocks with BUSY_TRY_AGAIN', async () => {
    const { runner, transactions } = runnerFailingWith(Array.from({ length: 10 }, () => mysqlError('ER_LOCK_DEADLOCK')));
    await expect(runner.run(async () => 'booked')).rejects.toMatchObject({ code: ErrorCode.BusyTryAgain });
    expect(transactions).toHaveBeenCalledTimes(4);
  });

  it('answers a lock wait timeout with BUSY_TRY_AGAIN at once: the buyer has already waited', async () => {
    const { runner, transactions } = runnerFailingWith([mysqlError('ER_LOCK_WAIT_TIMEOUT')]);
    await expect(runner.run(async () => 'booked')).rejects.toMatchObject({ code: ErrorCode.BusyTryAgain });
    expect(transactions).toHaveBeenCalledTimes(1);
  });

  it('passes other failures through untouched', async () => {
    const failure = mysqlError('ER_NO_SUCH_TABLE');
    const { runner } = runnerFailingWith([failure]);
    await expect(runner.run(async () => 'booked')).rejects.toBe(failure);
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
});
