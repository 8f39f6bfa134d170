import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { cached } from '../common/cached.js';
import type { Statement } from './built-query.js';

type ColumnMetadata = NonNullable<ReturnType<EntityMetadata['findColumnWithPropertyName']>>;

/** `INSERT INTO table (columns) VALUES `, one `(?, …)` per row, and the columns in that order. */
interface InsertStatement {
  head: string;
  tuple: string;
  columns: ColumnMetadata[];
}

/**
 * An INSERT of one or many rows of the given properties, written once per database from the
 * entity's metadata, each value converted by the driver and the column's transformer as TypeORM's
 * own insert does. TypeORM's insert builder names and merges a parameter per value, which grows
 * with the square of the rows: for a coalesced batch of bookings it was the largest cost of the
 * transaction (BENCHMARKS.md).
 */
export class MultiRowInsert<T extends ObjectLiteral> {
  private readonly statements = new WeakMap<DataSource, InsertStatement>();

  constructor(
    private readonly target: EntityTarget<T>,
    private readonly properties: readonly (keyof T & string)[],
  ) {}

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
