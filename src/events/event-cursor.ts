import { decodeCursor, encodeCursor, isRowId } from '../common/page-cursor.js';

/** Position after the last event of a page: events are ordered by (date, id). */
export interface EventCursor {
  date: Date;
  id: number;
}

export function encodeEventCursor({ date, id }: EventCursor): string {
  return encodeCursor([date.toISOString(), id]);
}

export function decodeEventCursor(cursor: string): EventCursor {
  return decodeCursor(cursor, (position) => {
    if (position.length !== 2) return undefined;
    const [isoDate, id] = position;
    const date = typeof isoDate === 'string' ? new Date(isoDate) : undefined;
    return date && !Number.isNaN(date.getTime()) && isRowId(id) ? { date, id } : undefined;
  });
}
