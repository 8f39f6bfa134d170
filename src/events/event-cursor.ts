import { decodeCursor, encodeCursor, isCursorDate, isRowId } from '../common/page-cursor.js';

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
    return isCursorDate(isoDate) && isRowId(id) ? { date: new Date(isoDate), id } : undefined;
  });
}
