import type { Queryable } from './built-query.js';

/**
 * Whether SELECT … FOR UPDATE exists here: on MySQL it locks the rows until the transaction ends;
 * SQLite has no row locks, and needs none because its write transactions run one at a time.
 */
export function supportsRowLocks(source: Queryable): boolean {
  const options = 'options' in source ? source.options : source.connection.options;
  return options.type === 'mysql';
}
