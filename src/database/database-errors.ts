import { QueryFailedError } from 'typeorm';

/** The driver's own error code behind a failed query (mysql2: ER_…, better-sqlite3: SQLITE_…). */
export function driverErrorCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

const DUPLICATE_KEY_CODES = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** A unique or primary key already holds the value, on either database (not any other constraint). */
export function isDuplicateKeyError(error: unknown): boolean {
  return DUPLICATE_KEY_CODES.has(driverErrorCode(error) ?? '');
}
