import { boundValues } from './built-query.js';

describe('boundValues', () => {
  it('sends undefined as NULL, as a statement sent as text did, and leaves the other values as they are', () => {
    const when = new Date('2027-06-15T18:00:00.000Z');

    expect(boundValues([1, undefined, 'x', null, when])).toEqual([1, null, 'x', null, when]);
  });

  it('passes values without undefined through untouched', () => {
    const values = [1, 'x', null];

    expect(boundValues(values)).toBe(values);
  });
});
