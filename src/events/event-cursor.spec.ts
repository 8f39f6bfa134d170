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
});
