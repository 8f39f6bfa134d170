import { jest } from '@jest/globals';
import type { QueryRunner } from 'typeorm';
import { StatementPipeline } from './statement-pipeline.js';

/** A query runner that records what reaches the database and answers one result per statement. */
function recordingRunner(fail?: (sql: string) => Error | undefined) {
  const sent: { sql: string; values: unknown[]; structured: boolean }[] = [];
  const query = jest.fn(async (sql: string, values: unknown[] = [], structured?: boolean) => {
    sent.push({ sql, values, structured: structured === true });
    const failure = fail?.(sql);
    if (failure) throw failure;
    const results = sql.split(';\n').map((statement) => ({ statement }));
    return results.length === 1 ? results[0] : results;
  });
  const runner = { query, isTransactionActive: false, manager: {} } as unknown as QueryRunner;
  return { runner, sent };
}

describe('StatementPipeline', () => {
  it('sends START TRANSACTION with the first statement, and added writes with COMMIT', async () => {
    const { runner, sent } = recordingRunner();
    const pipeline = new StatementPipeline(runner);
    const locked = await runner.query('SELECT … FOR UPDATE', [7]);
    const updated = pipeline.add(['UPDATE c SET sold = sold + ?', [2]]);
    const inserted = pipeline.add(['INSERT INTO b VALUES (?)', ['x']]);
    await pipeline.commit();

    expect(sent.map((each) => each.sql)).toEqual([
      'START TRANSACTION;\nSELECT … FOR UPDATE',
      'UPDATE c SET sold = sold + ?;\nINSERT INTO b VALUES (?);\nCOMMIT',
    ]);
    expect(sent[1].values).toEqual([2, 'x']);
    expect(locked).toEqual({ statement: 'SELECT … FOR UPDATE' });
    await expect(updated).resolves.toEqual({ statement: 'UPDATE c SET sold = sold + ?' });
    await expect(inserted).resolves.toEqual({ statement: 'INSERT INTO b VALUES (?)' });
  });

  it('sends what is queued before a statement that reads a structured result, which travels alone', async () => {
    const { runner, sent } = recordingRunner();
    const pipeline = new StatementPipeline(runner);
    await runner.query('UPDATE holds SET status = ?', ['expired'], true);
    await pipeline.commit();
    expect(sent.map((each) => [each.sql, each.structured])).toEqual([
      ['START TRANSACTION', false],
      ['UPDATE holds SET status = ?', true],
      ['COMMIT', false],
    ]);
  });

  it('fails the queued writes with the batch and rolls back what was begun', async () => {
    const refused = new Error('ER_DUP_ENTRY');
    const { runner, sent } = recordingRunner((sql) => (sql.includes('INSERT') ? refused : undefined));
    const pipeline = new StatementPipeline(runner);
    await runner.query('SELECT … FOR UPDATE', [7]);
    const inserted = pipeline.add(['INSERT INTO b VALUES (?)', ['x']]);
    await expect(pipeline.commit()).rejects.toBe(refused);
    await expect(inserted).rejects.toBe(refused);
    await pipeline.rollback();
    expect(sent.at(-1)?.sql).toBe('ROLLBACK');
    expect(runner.isTransactionActive).toBe(false);
  });

  it('sends nothing at all, not even ROLLBACK, for work that failed before its first statement', async () => {
    const { runner, sent } = recordingRunner();
    const pipeline = new StatementPipeline(runner);
    const write = pipeline.add(['UPDATE c SET sold = sold + ?', [1]]);
    await pipeline.rollback();
    await expect(write).rejects.toThrow(/rolled back/);
    expect(sent).toEqual([]);
  });
});
