import { stdSerializers } from 'pino';

/** A statement that failed: TypeORM's QueryFailedError holds its values, mysql2's error its SQL with them inlined. */
interface FailedStatement extends Error {
  query?: unknown;
  parameters?: unknown;
  sql?: unknown;
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
}

function isFailedStatement(error: unknown): error is FailedStatement {
  return error instanceof Error && ('parameters' in error || 'sql' in error);
}

/**
 * MySQL's messages quote the value they refuse, unescaped ("Duplicate entry 'ada@example.com' for
 * key …"), so everything from the first quote to the last goes; SQLite's name columns only.
 */
function withoutQuotedValues(text: string): string {
  return text.replace(/'.*'/s, "'…'");
}

/**
 * How the logs write an error (`err`). A failed statement keeps its SQL with placeholders and the
 * driver's codes, never its values: the INSERT of a booking carries a customer's name and e-mail.
 * Any other error is written as pino writes errors.
 */
export function serializeError(error: unknown): unknown {
  if (!isFailedStatement(error)) return stdSerializers.err(error as Error);
  const message = withoutQuotedValues(error.message);
  return {
    type: error.name,
    message,
    stack: error.stack?.replace(error.message, message),
    code: error.code,
    errno: error.errno,
    sqlState: error.sqlState,
    statement: typeof error.query === 'string' ? error.query : undefined,
  };
}
