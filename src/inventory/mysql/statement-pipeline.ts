import { QueryFailedError, type DataSource } from 'typeorm';
import type { Statement } from '../../database/built-query.js';
import type { LedgerTransaction } from '../ledger-transaction.js';

/** The part of a mysql2 connection (callback API, as TypeORM's pool hands it out) the pipeline uses. */
export interface MysqlConnection {
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): void;
}

interface Queued {
  sql: string;
  values: unknown[];
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * One MySQL transaction on one pooled connection (taken with TypeORM's public
 * QueryRunner.connect()), sent in as few round trips as it can be: START TRANSACTION travels with
 * the first statement that is read (the category lock), and the writes whose answers nobody waits
 * for travel with COMMIT. A booking then holds the category lock for one round trip instead of
 * three (UPDATE, INSERT, COMMIT each waited for). It needs the connection's multipleStatements
 * flag. Statements are logged through TypeORM's logger, as TypeORM's own queries are.
 */
export class StatementPipeline implements LedgerTransaction {
  readonly locksRows = true;
  private queued: Queued[] = [];
  private begun = false;

  constructor(
    readonly dataSource: DataSource,
    private readonly connection: MysqlConnection,
  ) {
    void this.write(['START TRANSACTION', []]);
  }

  async rows(statement: Statement): Promise<Record<string, unknown>[]> {
    const [rows] = await this.rowsOfEach([statement]);
    return rows;
  }

  rowsOfEach(statements: Statement[]): Promise<Record<string, unknown>[][]> {
    return this.sendQueuedWith(statements) as Promise<Record<string, unknown>[][]>;
  }

  write([sql, values]: Statement): Promise<unknown> {
    const result = new Promise((resolve, reject) => this.queued.push({ sql, values, resolve, reject }));
    // Awaited by its caller after the transaction; a failure also fails the transaction itself.
    result.catch(() => undefined);
    return result;
  }

  async changed(statement: Statement): Promise<number> {
    const result = (await this.write(statement)) as { affectedRows: number };
    return result.affectedRows;
  }

  async commit(): Promise<void> {
    await this.sendQueuedWith([['COMMIT', []]]);
  }

  /** Nothing to undo when nothing reached the database; otherwise the connection's transaction is rolled back. */
  async rollback(): Promise<void> {
    const unsent = this.queued;
    this.queued = [];
    for (const each of unsent) each.reject(new Error('The transaction was rolled back before this statement was sent'));
    if (this.begun) await this.send('ROLLBACK', []);
  }

  /** Sends everything queued, then `last`, as one multi-statement query; answers the results of `last`. */
  private async sendQueuedWith(last: Statement[]): Promise<unknown[]> {
    const batch = this.queued;
    this.queued = [];
    const statements = [...batch, ...last.map(([sql, values]) => ({ sql, values }))];
    this.begun = true;
    let results: unknown[];
    try {
      const raw = await this.send(statements.map((each) => each.sql).join(';\n'), statements.flatMap((each) => each.values));
      results = statements.length === 1 ? [raw] : (raw as unknown[]);
    } catch (error) {
      for (const each of batch) each.reject(error);
      throw error;
    }
    batch.forEach((each, i) => each.resolve(results[i]));
    return results.slice(batch.length);
  }

  private send(sql: string, values: unknown[]): Promise<unknown> {
    this.dataSource.logger.logQuery(sql, values);
    return new Promise((resolve, reject) => {
      this.connection.query(sql, values, (error, result) => {
        if (!error) {
          resolve(result);
          return;
        }
        this.dataSource.logger.logQueryError(error, sql, values);
        reject(new QueryFailedError(sql, values, error));
      });
    });
  }
}
