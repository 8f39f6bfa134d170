import { DataSource, type EntityManager, type EntityMetadata, type EntityTarget, type ObjectLiteral, type QueryBuilder } from 'typeorm';
import { cached } from '../common/cached.js';
import type { Statement } from './statement-pipeline.js';

type ColumnMetadata = NonNullable<ReturnType<EntityMetadata['findColumnWithPropertyName']>>;

/** Where a statement runs: on the pool, or inside a transaction on its connection. */
export type Queryable = DataSource | EntityManager;

function dataSourceOf(source: Queryable): DataSource {
  return source instanceof DataSource ? source : source.connection;
}

/**
 * A statement whose SQL TypeORM builds once, run again with fresh parameters. For the statements
 * every request makes: building the query on each call was a large part of TypeORM's CPU per
 * request. Parameters go through the driver's own escaping (dates, `:...list` expansion) as with a
 * builder.
 */
export class BuiltQuery {
  private readonly sql = new WeakMap<DataSource, string>();

  constructor(private readonly build: (dataSource: DataSource) => QueryBuilder<ObjectLiteral>) {}

  rows(source: Queryable, parameters: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    return source.query(...this.statement(source, parameters));
  }

  /** The SQL with `?` placeholders and their values, for a statement sent later (see CommitWrites). */
  statement(source: Queryable, parameters: Record<string, unknown>): Statement {
    const dataSource = dataSourceOf(source);
    const sql = cached(this.sql, dataSource, () => this.build(dataSource).getQuery());
    return dataSource.driver.escapeQueryWithParameters(sql, parameters);
  }

  async execute(source: Queryable, parameters: Record<string, unknown>): Promise<void> {
    await this.rows(source, parameters);
  }
}

type RowReader = (row: Record<string, unknown>) => ObjectLiteral;

/**
 * Column types that both drivers hand over exactly as TypeORM hydrates them: for these (without a
 * transformer) `prepareHydratedValue` returns its argument unchanged, so a reader skips the call.
 */
const HYDRATED_AS_READ = new Set(['integer', 'varchar', 'text']);

/** Per database, entity and alias: the reader compiled for it, built on first use. */
const readers = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, Map<string, RowReader>>>();

/**
 * One entity from the columns a builder selected as `<alias>_<column>`, converted column by column
 * by the driver with the column transformers, as TypeORM's own hydration does.
 */
export function hydrate<T extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<T>, alias: string, row: Record<string, unknown>): T {
  const byTarget = cached(readers, dataSource, () => new Map<EntityTarget<ObjectLiteral>, Map<string, RowReader>>());
  const byAlias = cached(byTarget, target, () => new Map<string, RowReader>());
  const read = cached(byAlias, alias, () => compileReader(dataSource, dataSource.getMetadata(target), alias));
  return read(row) as T;
}

/**
 * A list page hydrates 200 rows: reading and writing properties by names held in variables made
 * hydration the largest cost of the page in our own code (about 150 µs a page). The reader is
 * therefore compiled from the entity's metadata into straight-line property accesses, as mysql2
 * compiles its row parsers. Names come from our entity declarations, quoted as JSON strings.
 */
function compileReader(dataSource: DataSource, metadata: EntityMetadata, alias: string): RowReader {
  const converters: ((value: unknown) => unknown)[] = [];
  const assignments = metadata.columns.map((column) => {
    const key = JSON.stringify(`${alias}_${column.databaseName}`);
    let value = `row[${key}]`;
    if (column.transformer !== undefined || !HYDRATED_AS_READ.has(String(column.type))) {
      converters.push((read) => dataSource.driver.prepareHydratedValue(read, column));
      value = `convert[${converters.length - 1}](${value})`;
    }
    return `if (${key} in row) entity[${JSON.stringify(column.propertyName)}] = ${value};`;
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled once per entity and alias from our own metadata, see above
  const assign = new Function('entity', 'row', 'convert', assignments.join('\n')) as (entity: ObjectLiteral, row: Record<string, unknown>, convert: ((value: unknown) => unknown)[]) => void;
  return (row) => {
    const entity = metadata.create() as ObjectLiteral;
    assign(entity, row, converters);
    return entity;
  };
}

/** `INSERT INTO table (columns) VALUES `, one `(?, …)` per row, and the columns in that order. */
interface InsertStatement {
  head: string;
  tuple: string;
  columns: ColumnMetadata[];
}

/**
 * A multi-row INSERT of the given properties, written once per database from the entity's
 * metadata, with each value converted by the driver and the column's transformer as TypeORM's own
 * insert does. TypeORM's insert builder names and merges a parameter per value, which grows with
 * the square of the rows: for a coalesced batch of bookings it was the largest cost of the
 * transaction.
 */
export class MultiRowInsert<T extends ObjectLiteral> {
  private readonly statements = new WeakMap<DataSource, InsertStatement>();

  constructor(
    private readonly target: EntityTarget<T>,
    private readonly properties: readonly (keyof T & string)[],
  ) {}

  /** One row, inserted now; answers the id the database generated for it. */
  async runOne(manager: EntityManager, row: T): Promise<number> {
    return insertedId(await manager.query(...this.statement(manager.connection, [row])));
  }

  statement(dataSource: DataSource, rows: readonly T[]): Statement {
    const { driver } = dataSource;
    const { head, tuple, columns } = this.insertStatement(dataSource);
    const values: unknown[] = rows.flatMap((row) => columns.map((column): unknown => driver.preparePersistentValue(row[column.propertyName], column)));
    return [`${head}${rows.map(() => tuple).join(', ')}`, values];
  }

  private insertStatement(dataSource: DataSource): InsertStatement {
    return cached(this.statements, dataSource, () => {
      const { driver } = dataSource;
      const metadata = dataSource.getMetadata(this.target);
      const columns = this.properties.map((property) => metadata.findColumnWithPropertyName(property) as ColumnMetadata);
      const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
      return { head: `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES `, tuple: `(${columns.map(() => '?').join(', ')})`, columns };
    });
  }
}

/** The id an INSERT of one row generated: mysql2 reports it as insertId, better-sqlite3 as the rowid. */
export function insertedId(result: unknown): number {
  return Number(typeof result === 'object' && result !== null && 'insertId' in result ? result.insertId : result);
}
