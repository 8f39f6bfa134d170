import type { DataSource } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { StatementPipeline, type MysqlConnection } from './statement-pipeline.js';

/** A connection that records what reaches the database and answers one result per statement. */
function recordingConnection(fail?: (sql: string) => Error | undefined) {
  const sent: { sql: string; values: unknown[] }[] = [];
  const connection: MysqlConnection = {
    query: (sql, values, callback) => {
      sent.push({ sql, values });
      const failure = fail?.(sql);
      if (failure) return callback(failure, undefined);
      const results = sql.split(';\n').map((statement) => ({ statement }));
      callback(null, results.length === 1 ? results[0] : results);
    },
  };
  const logged: string[] = [];
  const dataSource = { logger: { logQuery: (sql: string) => logged.push(sql), logQueryError: () => undefined } } as unknown as DataSource;
  return { pipeline: new StatementPipeline(dataSource, connection), sent, logged };
}

describe('StatementPipeline', () => {
  it('sends START TRANSACTION with the first statement read, and queued writes with COMMIT', async () => {
    const { pipeline, sent, logged } = recordingConnection();
    const locked = await pipeline.rows(['SELECT … FOR UPDATE', [7]]);
    const updated = pipeline.write(['UPDATE c SET sold = sold + ?', [2]]);
    const inserted = pipeline.write(['INSERT INTO b VALUES (?)', ['x']]);
    await pipeline.commit();

    expect(sent.map((each) => each.sql)).toEqual(['START TRANSACTION;\nSELECT … FOR UPDATE', 'UPDATE c SET sold = sold + ?;\nINSERT INTO b VALUES (?);\nCOMMIT']);
    expect(sent[1].values).toEqual([2, 'x']);
    expect(logged).toEqual(sent.map((each) => each.sql));
    expect(locked).toEqual({ statement: 'SELECT … FOR UPDATE' });
    await expect(updated).resolves.toEqual({ statement: 'UPDATE c SET sold = sold + ?' });
    await expect(inserted).resolves.toEqual({ statement: 'INSERT INTO b VALUES (?)' });
  });

  it('fails the queued writes with the batch, as the QueryFailedError TypeORM would raise, and rolls back what was begun', async () => {
    const refused = Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' });
    const { pipeline, sent } = recordingConnection((sql) => (sql.includes('INSERT') ? refused : undefined));
    await pipeline.rows(['SELECT … FOR UPDATE', [7]]);
    const inserted = pipeline.write(['INSERT INTO b VALUES (?)', ['x']]);
    const failure = pipeline.commit();
    await expect(failure).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failure).rejects.toMatchObject({ driverError: refused });
    await expect(inserted).rejects.toMatchObject({ driverError: refused });
    await pipeline.rollback();
    expect(sent.at(-1)?.sql).toBe('ROLLBACK');
  });

  it('sends nothing at all, not even ROLLBACK, for work that failed before its first statement', async () => {
    const { pipeline, sent } = recordingConnection();
    const write = pipeline.write(['UPDATE c SET sold = sold + ?', [1]]);
    await pipeline.rollback();
    await expect(write).rejects.toThrow(/rolled back/);
    expect(sent).toEqual([]);
  });
});
