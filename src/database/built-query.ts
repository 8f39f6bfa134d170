import type { ExecuteValues } from 'mysql2';
import { DataSource, QueryFailedError, type EntityManager, type ObjectLiteral, type QueryBuilder } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver.js';
import { cached } from '../common/cached.js';

/** A statement and its `?` values, as the drivers take them. */
export type Statement = [sql: string, values: unknown[]];

/**
 * Connections other than the primary's pool (a read replica's), with the primary's dialect and
 * metadata to build and convert by: the part of an EntityManager that BuiltQuery uses.
 */
export interface SqlRunner {
  readonly connection: DataSource;
  query(sql: string, values: unknown[]): Promise<Record<string, unknown>[]>;
}

/** Where a statement runs: on the primary's pool, inside a transaction on its connection, or on a replica. */
export type Queryable = DataSource | EntityManager | SqlRunner;

function dataSourceOf(source: Queryable): DataSource {
  return source instanceof DataSource ? source : source.connection;
}

/**
 * A statement whose SQL TypeORM's query builder writes once per database (quoting, dialect),
 * run again with fresh parameters. For the statements every request makes: building the query on
 * each call was a large part of TypeORM's CPU per request. Parameters go through the driver's own
 * conversion (dates, booleans, `:...list` expansion) as with a builder.
 */
export class BuiltQuery {
  private readonly sql = new WeakMap<DataSource, string>();

  constructor(private readonly build: (dataSource: DataSource) => QueryBuilder<ObjectLiteral>) {}

  rows(source: Queryable, parameters: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const [sql, values] = this.statement(source, parameters);
    return source instanceof DataSource && source.options.type === 'mysql' ? readOnPool(source.driver as MysqlDriver, sql, values) : source.query(sql, values);
  }

  /** The SQL with `?` placeholders and their values, for a statement sent later (pipelined). */
  statement(source: Queryable, parameters: Record<string, unknown>): Statement {
    const dataSource = dataSourceOf(source);
    const sql = cached(this.sql, dataSource, () => this.build(dataSource).getQuery());
    return dataSource.driver.escapeQueryWithParameters(sql, parameters);
  }
}

type Rows = Record<string, unknown>[];

/**
 * A read on one of the pool's connections, sent by mysql2 straight away. TypeORM's query() makes a
 * query runner, a broadcaster and its result, a promise wrapper of the connection and a copy of
 * the rows for every statement, and awaits each: on a public read that was a few percent of the
 * CPU the app spent beyond the bare baseline (BENCHMARKS.md). The connection comes from the
 * driver's own public method, and a failed statement is wrapped as TypeORM wraps it, so the logs
 * and the 503 mapping see the same error either way.
 *
 * The statement is prepared once per connection and executed from then on (mysql2 keeps the
 * connection's statements, at most PREPARED_STATEMENTS_PER_CONNECTION): the server then parses
 * and resolves it once, not on every read: about a sixth of MariaDB's CPU per event read
 * (BENCHMARKS.md, stop 25). The same rows come back either way: dates as UTC Dates, DECIMAL
 * and BIGINT as strings, BOOLEAN as 0/1.
 */
function readOnPool(driver: MysqlDriver, sql: string, values: unknown[]): Promise<Rows> {
  return (driver.obtainMasterConnection() as Promise<PreparingConnection & { release(): void }>).then((connection) =>
    executed(connection, sql, values).finally(() => connection.release()),
  ) as Promise<Rows>;
}

/** The part of a mysql2 connection (callback API, as TypeORM's pool hands it out) that prepares its statements. */
export interface PreparingConnection {
  execute(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): void;
}

/** The statement prepared once per connection (see readOnPool) and executed; a failure wrapped as TypeORM wraps it. */
export function executed(connection: PreparingConnection, sql: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.execute(sql, boundValues(values), (error, result) => {
      if (error) reject(new QueryFailedError(sql, values, error));
      else resolve(result);
    });
  });
}

/** A prepared statement refuses `undefined`; a query sent as text had it as NULL, and so does this. */
export function boundValues(values: unknown[]): ExecuteValues[] {
  return (values.includes(undefined) ? values.map((value) => value ?? null) : values) as ExecuteValues[];
}
