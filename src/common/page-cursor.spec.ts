import { decodeCursor, decodeIdCursor, encodeCursor, isRowId, pageOf } from './page-cursor.js';

const readId = (position: unknown[]) => (position.length === 1 && isRowId(position[0]) ? position[0] : undefined);

describe('page cursor', () => {
  it('round-trips a position', () => {
    expect(decodeCursor(encodeCursor([42]), readId)).toBe(42);
  });

  it.each([
    ['not base64url JSON', '!!!'],
    ['empty', ''],
    ['an object, not a position', Buffer.from('{"id":1}').toString('base64url')],
    ['a position of the wrong length', encodeCursor([1, 2])],
    ['an id that is not a row id', encodeCursor([0])],
    ['a fractional id', encodeCursor([1.5])],
    ['an id as a string', encodeCursor(['1'])],
  ])('rejects a cursor that is %s with VALIDATION_FAILED', (_what, cursor) => {
    expect(() => decodeCursor(cursor, readId)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('pageOf', () => {
  const rows = [{ id: 3 }, { id: 5 }, { id: 9 }];

  it('answers the first `limit` rows, with the cursor after the last of them when one more was read', () => {
    const page = pageOf(rows, 2, (row) => row.id);
    expect(page).toEqual({ items: [{ id: 3 }, { id: 5 }], nextCursor: encodeCursor([5]), limit: 2 });
    expect(decodeIdCursor(page.nextCursor as string)).toBe(5);
  });

  it('has no next page when no row beyond the limit was read', () => {
    expect(pageOf(rows, 3, (row) => row.id)).toEqual({ items: rows, nextCursor: undefined, limit: 3 });
  });
});
