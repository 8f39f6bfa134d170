import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';

describe('event cursor', () => {
  it('round-trips the position after an event', () => {
    const position = { date: new Date('2027-06-15T18:00:00.123Z'), id: 42 };
    expect(decodeEventCursor(encodeEventCursor(position))).toEqual(position);
  });

  it.each(['', '!!!', Buffer.from('{}').toString('base64url'), Buffer.from('["nope",1]').toString('base64url'), Buffer.from('["2027-01-01T00:00:00Z",1.5]').toString('base64url')])(
    'rejects the tampered cursor %j with VALIDATION_FAILED',
    (cursor) => {
      expect(() => decodeEventCursor(cursor)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    },
  );

  it.each([
    '2027',
    'Tue, 01 Dec 2026',
    '12/31/2027',
    '2027-06-15T18:00:00Z',
    '2027-06-15T18:00:00.000+00:00',
    '2027-02-29T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '0999-12-31T23:59:59.999Z',
  ])('rejects a cursor whose date is %j, not one the server writes within the date horizon', (date) => {
    const cursor = Buffer.from(JSON.stringify([date, 1])).toString('base64url');
    expect(() => decodeEventCursor(cursor)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('rejects a cursor spelled other than the server writes it', () => {
    const cursor = encodeEventCursor({ date: new Date('2027-06-15T18:00:00Z'), id: 1 });
    const spaced = Buffer.from('[ "2027-06-15T18:00:00.000Z", 1 ]').toString('base64url');
    expect(() => decodeEventCursor(`${cursor}!`)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => decodeEventCursor(spaced)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
