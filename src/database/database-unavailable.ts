/**
 * Errors that say the database cannot be reached at all — refused or lost connections, a server
 * shutting down — as opposed to a query the database answered with an error. They are the
 * database's fault, not the client's and not a bug of ours: the filter answers them 503
 * DATABASE_UNAVAILABLE with Retry-After, and mysql2's pool replaces the broken connections by
 * itself once the server is back.
 */
const CONNECTION_ERROR_CODES = new Set([
  // The socket: nothing listens, the peer went away, the route or name is gone.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // mysql2: the server closed the connection, or did not answer the handshake within connectTimeout.
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  // The server itself: shutting down, too many connections, connection killed (MariaDB).
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
]);

/** mysql2 and TypeORM raise these without a code, after a connection or the pool has closed. */
const CLOSED_MESSAGES = [/closed state/i, /^Pool is closed/, /^Connection is not established/];

const MAX_DEPTH = 4;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH || typeof error !== 'object' || error === null) return false;
  const { code, fatal, message, driverError, cause, errors } = error as {
    code?: unknown;
    fatal?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  // mysql2 marks an error fatal when the connection it happened on is unusable.
  if (fatal === true) return true;
  if (typeof message === 'string' && CLOSED_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // TypeORM wraps the driver's error; Node wraps each failed address of a connect in an AggregateError.
  const inner = [driverError, cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])];
  return inner.some((each) => each !== error && isDatabaseUnavailable(each, depth + 1));
}
