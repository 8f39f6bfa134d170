import { DataSource, type EntityManager, type ObjectLiteral, type QueryBuilder } from 'typeorm';
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
    return source.query(...this.statement(source, parameters));
  }

  /** The SQL with `?` placeholders and their values, for a statement sent later (pipelined). */
  statement(source: Queryable, parameters: Record<string, unknown>): Statement {
    const dataSource = dataSourceOf(source);
    const sql = cached(this.sql, dataSource, () => this.build(dataSource).getQuery());
    return dataSource.driver.escapeQueryWithParameters(sql, parameters);
  }
}
