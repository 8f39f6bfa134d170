import { ValidationFailedError } from '../common/domain-error.js';

/** Position after the last event of a page: events are ordered by (date, id). */
export interface EventCursor {
  date: Date;
  id: number;
}

export function encodeEventCursor({ date, id }: EventCursor): string {
  return Buffer.from(JSON.stringify([date.toISOString(), id])).toString('base64url');
}

/** Made only when a cursor is refused: an error captures a stack trace, and every deep page decodes a cursor. */
function invalidCursor(): ValidationFailedError {
  return new ValidationFailedError(['cursor is not valid; use the one from the Link header of the previous page']);
}

export function decodeEventCursor(cursor: string): EventCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalidCursor();
  const [isoDate, id] = decoded as unknown[];
  const date = typeof isoDate === 'string' ? new Date(isoDate) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !Number.isSafeInteger(id) || (id as number) < 1) throw invalidCursor();
  return { date, id: id as number };
}
