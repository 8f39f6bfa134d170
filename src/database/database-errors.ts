import { QueryFailedError } from 'typeorm';

/** The driver's own error code behind a failed query (mysql2: ER_…, better-sqlite3: SQLITE_…). */
export function driverErrorCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique or primary key already holds the value, on either database. */
export function isDuplicateKeyError(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code === 'ER_DUP_ENTRY' || (code?.startsWith('SQLITE_CONSTRAINT') ?? false);
}
