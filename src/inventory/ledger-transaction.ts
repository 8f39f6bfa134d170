import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
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
  /** A write, as `write`, answering how many rows it changed. */
  changed(statement: Statement): Promise<number>;
}

/**
 * A ledger transaction on a TypeORM transaction's manager: each statement runs once the one before
 * it has. Issued at once, they did not run in order: TypeORM's better-sqlite3 runner prepares a
 * statement it has not cached behind one more await than a cached one, so a new INSERT of a
 * booking ran after the outbox INSERT … SELECT that reads it, and the message was lost.
 */
export class ManagerTransaction implements LedgerTransaction {
  private readonly running: Promise<unknown>[] = [];
  private previous: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly manager: EntityManager,
    readonly locksRows: boolean,
  ) {}

  /**
   * Runs `work` and answers once every statement it issued has run, also when it fails: the
   * transaction ends (COMMIT or ROLLBACK) after them, never with one still queued that would then
   * run outside it.
   */
  static async run<T>(manager: EntityManager, locksRows: boolean, work: (tx: ManagerTransaction) => Promise<T>): Promise<T> {
    const tx = new ManagerTransaction(manager, locksRows);
    try {
      const outcome = await work(tx);
      await tx.settled();
      return outcome;
    } catch (error) {
      await tx.settled().catch(() => undefined);
      throw error;
    }
  }

  get dataSource(): DataSource {
    return this.manager.connection;
  }

  rows(statement: Statement): Promise<Record<string, unknown>[]> {
    return this.inOrder(() => this.manager.query<Record<string, unknown>[]>(...statement));
  }

  async rowsOfEach(statements: Statement[]): Promise<Record<string, unknown>[][]> {
    const results: Record<string, unknown>[][] = [];
    for (const statement of statements) results.push(await this.rows(statement));
    return results;
  }

  write(statement: Statement): Promise<unknown> {
    const result = this.rows(statement);
    this.running.push(result);
    return result;
  }

  changed([sql, values]: Statement): Promise<number> {
    // The manager is a transaction's (see run), so it has the runner that can answer the count.
    const runner = this.manager.queryRunner as QueryRunner;
    const result = this.inOrder(() => runner.query(sql, values, true));
    this.running.push(result);
    return result.then((outcome) => outcome.affected ?? 0);
  }

  /** Every write has run; a failed one fails the transaction. */
  private async settled(): Promise<void> {
    await Promise.all(this.running);
  }

  /** Runs `run` once the statement before it has run. */
  private inOrder<T>(run: () => Promise<T>): Promise<T> {
    const result = this.previous.then(run);
    this.previous = result.catch(() => undefined);
    return result;
  }
}
