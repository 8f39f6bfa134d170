import type { DataSource, EntityManager } from 'typeorm';
import type { Statement } from '../database/built-query.js';

/**
 * One write transaction as the ledger's operations see it, whatever runs it: the MySQL adapter's
 * pipeline, or a TypeORM transaction.
 */
export interface LedgerTransaction {
  readonly dataSource: DataSource;
  /** True where rows are locked FOR UPDATE (MySQL); SQLite's write transactions are exclusive anyway. */
  readonly locksRows: boolean;
  /** Runs the statement and answers its rows. */
  rows(statement: Statement): Promise<Record<string, unknown>[]>;
  /** Runs the statements in order (on MySQL in one round trip) and answers the rows of each. */
  rowsOfEach(statements: Statement[]): Promise<Record<string, unknown>[][]>;
  /**
   * A write whose answer the work inside the transaction does not need: it reaches the database no
   * later than COMMIT, and its promise settles after the commit at the latest — await it only once
   * the transaction has ended.
   */
  write(statement: Statement): Promise<unknown>;
}

/** A ledger transaction on a TypeORM transaction's manager: each write runs at once, in order. */
export class ManagerTransaction implements LedgerTransaction {
  private readonly running: Promise<unknown>[] = [];

  constructor(
    private readonly manager: EntityManager,
    readonly locksRows: boolean,
  ) {}

  get dataSource(): DataSource {
    return this.manager.connection;
  }

  rows(statement: Statement): Promise<Record<string, unknown>[]> {
    return this.manager.query(...statement);
  }

  async rowsOfEach(statements: Statement[]): Promise<Record<string, unknown>[][]> {
    const results: Record<string, unknown>[][] = [];
    for (const statement of statements) results.push(await this.rows(statement));
    return results;
  }

  write(statement: Statement): Promise<unknown> {
    const result = this.manager.query(...statement);
    result.catch(() => undefined);
    this.running.push(result);
    return result;
  }

  /** Every write has run; a failed one fails the transaction. */
  async settled(): Promise<void> {
    await Promise.all(this.running);
  }
}
