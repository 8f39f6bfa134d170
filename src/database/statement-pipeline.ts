import type { EntityManager, QueryRunner } from 'typeorm';

/** A statement and its `?` values, as the mysql2 driver formats them. */
export type Statement = [sql: string, values: unknown[]];

/**
 * Writes of a transaction whose answers the work inside it does not wait for. They reach the
 * database no later than COMMIT, and each promise settles once its statement has run: after the
 * commit at the latest, so they are awaited after the transaction, never inside it.
 */
export interface CommitWrites {
  add(statement: Statement): Promise<unknown>;
}

interface Queued {
  sql: string;
  values: unknown[];
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * One MySQL transaction on one connection, sent in as few round trips as it can be: START
 * TRANSACTION travels with the first statement (the category lock), and the writes added with
 * `add` travel with COMMIT. A booking then holds the category lock for one round trip instead of
 * three (UPDATE, INSERT, COMMIT each waited for). It needs the connection's multipleStatements flag.
 *
 * Statements that TypeORM's own methods run (`manager.update`, `save`, …) read a structured
 * result; those are sent on their own, after anything queued, exactly as without the pipeline.
 */
export class StatementPipeline implements CommitWrites {
  private queued: Queued[] = [];
  private begun = false;
  private readonly send: QueryRunner['query'];

  constructor(private readonly runner: QueryRunner) {
    this.send = runner.query.bind(runner);
    runner.query = ((sql: string, values?: unknown[], structured?: boolean) => this.query(sql, values ?? [], structured === true)) as QueryRunner['query'];
    this.markActive(true);
    void this.add(['START TRANSACTION', []]);
  }

  get manager(): EntityManager {
    return this.runner.manager;
  }

  add([sql, values]: Statement): Promise<unknown> {
    const result = new Promise((resolve, reject) => this.queued.push({ sql, values, resolve, reject }));
    // Awaited by its caller after the transaction; a failure also fails the transaction itself.
    result.catch(() => undefined);
    return result;
  }

  async commit(): Promise<void> {
    await this.sendQueuedWith('COMMIT', []);
    this.markActive(false);
  }

  /** Nothing to undo when nothing reached the database; otherwise the connection's transaction is rolled back. */
  async rollback(): Promise<void> {
    this.markActive(false);
    this.failQueued(new Error('The transaction was rolled back before this statement was sent'));
    if (this.begun) await this.send('ROLLBACK');
  }

  /** TypeORM's persistence (`save`) opens a transaction of its own unless it sees this one. */
  private markActive(active: boolean): void {
    (this.runner as { isTransactionActive: boolean }).isTransactionActive = active;
  }

  private async query(sql: string, values: unknown[], structured: boolean): Promise<unknown> {
    if (structured) {
      if (this.queued.length > 0) await this.sendQueuedWith(undefined, []);
      return this.send(sql, values, true);
    }
    return this.sendQueuedWith(sql, values);
  }

  /** Sends everything queued, then `sql` if given, as one multi-statement query; answers the result of the last statement. */
  private async sendQueuedWith(sql: string | undefined, values: unknown[]): Promise<unknown> {
    const batch = this.queued;
    this.queued = [];
    const statements: Pick<Queued, 'sql' | 'values'>[] = sql === undefined ? batch : [...batch, { sql, values }];
    if (statements.length === 0) return undefined;
    this.begun = true;
    let results: unknown[];
    try {
      const raw: unknown = await this.send(statements.map((each) => each.sql).join(';\n'), statements.flatMap((each) => each.values));
      results = statements.length === 1 ? [raw] : (raw as unknown[]);
    } catch (error) {
      for (const each of batch) each.reject(error);
      throw error;
    }
    batch.forEach((each, i) => each.resolve(results[i]));
    return results.at(-1);
  }

  private failQueued(error: Error): void {
    for (const each of this.queued) each.reject(error);
    this.queued = [];
  }
}

/**
 * The same promise for SQLite, whose statements cost no round trip: each write runs at once, in
 * order, and the transaction waits for all of them before it commits.
 */
export class ImmediateWrites implements CommitWrites {
  private readonly running: Promise<unknown>[] = [];

  constructor(private readonly manager: EntityManager) {}

  add([sql, values]: Statement): Promise<unknown> {
    const result = this.manager.query(sql, values);
    result.catch(() => undefined);
    this.running.push(result);
    return result;
  }

  async settled(): Promise<void> {
    await Promise.all(this.running);
  }
}
