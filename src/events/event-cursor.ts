import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor, isCursorDate, isRowId } from '../common/page-cursor.js';

/** Position after the last event of a page: events are ordered by (date, id). */
export interface EventCursor {
  date: Date;
  id: number;
}

/**
 * A page of a filtered list also carries a fingerprint of its filters (see filtersFingerprint):
 * the position is only meaningful among the events those filters select.
 */
export function encodeEventCursor({ date, id }: EventCursor, filters?: string): string {
  return encodeCursor(filters === undefined ? [date.toISOString(), id] : [date.toISOString(), id, filters]);
}

/** Refuses a cursor made under other filters than `filters` (none, when undefined). */
export function decodeEventCursor(cursor: string, filters?: string): EventCursor {
  return decodeCursor(cursor, (position) => {
    if (position.length !== (filters === undefined ? 2 : 3)) return undefined;
    const [isoDate, id, fingerprint] = position;
    if (filters !== undefined && fingerprint !== filters) return undefined;
    return isCursorDate(isoDate) && isRowId(id) ? { date: new Date(isoDate), id } : undefined;
  });
}

/** Short, and the same for the same filters however they were spelled (case of a venue, zone of a date). */
export function filtersFingerprint(canonical: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 16);
}
