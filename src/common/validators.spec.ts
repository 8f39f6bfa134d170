import { parseZonedIsoDate } from './validators.js';

describe('parseZonedIsoDate', () => {
  it.each([
    ['2027-06-15T18:00:00Z', '2027-06-15T18:00:00.000Z'],
    ['2027-06-15T20:00+02:00', '2027-06-15T18:00:00.000Z'],
    ['2027-06-15T18:00:00.5-01:30', '2027-06-15T19:30:00.500Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseZonedIsoDate(input)?.toISOString()).toBe(expected);
  });

  it.each(['2027-06-15T18:00:00', '2027-06-15', '2027-02-29T00:00:00Z', '2027-06-15T24:00:00Z', '15/06/2027 18:00Z', 'tomorrow'])(
    'rejects %s',
    (input) => {
      expect(parseZonedIsoDate(input)).toBeUndefined();
    },
  );
});
