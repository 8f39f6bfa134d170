import { ValidationFailedError } from './domain-error.js';
import { isWithinDateHorizon } from './validators.js';

/**
 * A page cursor is the position after a page's last row (its sort key) as base64url JSON: opaque
 * to clients, checked when it comes back.
 */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * The position a cursor holds, as `read` accepts it (undefined for a position of the wrong shape).
 * Only a cursor exactly as encodeCursor writes it is read: base64url decoding skips stray
 * characters, and JSON has many spellings of one position. A tampered or foreign cursor answers
 * 400; the error is built only then, since it captures a stack.
 */
export function decodeCursor<T>(cursor: string, read: (position: unknown[]) => T | undefined): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const position = Array.isArray(decoded) && encodeCursor(decoded) === cursor ? read(decoded) : undefined;
  if (position === undefined) {
    throw new ValidationFailedError(['cursor is not valid; use the one from the Link header of the previous page']);
  }
  return position;
}

/** A row id as cursors carry it. */
export function isRowId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** One page of a list, and the cursor of the next if there is one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
  limit: number;
}

/** The page in `limit + 1` rows read after the cursor, sorted by id: the extra row says there is a next page. */
export function pageOf<T>(rows: T[], limit: number, idOf: (row: T) => number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([idOf(last)]) : undefined, limit };
}

/** The position after a page of a list sorted by id: its last id. */
export function decodeIdCursor(cursor: string): number {
  return decodeCursor(cursor, (position) => (position.length === 1 && isRowId(position[0]) ? position[0] : undefined));
}

/**
 * A date as cursors carry it: exactly as the server writes one (toISOString, UTC, milliseconds) and
 * within the horizon of the dates it accepts, as strictly as the date parameter it stands for.
 */
export function isCursorDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value && isWithinDateHorizon(date);
}
