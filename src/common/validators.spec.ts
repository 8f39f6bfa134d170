import { parseZonedIsoDate } from './validators.js';

describe('parseZonedIsoDate', () => {
  it.each([
    ['2027-06-15T18:00:00Z', '2027-06-15T18:00:00.000Z'],
    ['2027-06-15T20:00+02:00', '2027-06-15T18:00:00.000Z'],
    ['2027-06-15T18:00:00.5-01:30', '2027-06-15T19:30:00.500Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
    ['9999-12-31T23:59:59+00:00', '9999-12-31T23:59:59.000Z'],
    ['1000-01-01T00:00:00Z', '1000-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseZonedIsoDate(input)?.toISOString()).toBe(expected);
  });

  it.each(['2027-06-15T18:00:00', '2027-06-15', '2027-02-29T00:00:00Z', '2027-06-15T24:00:00Z', '15/06/2027 18:00Z', 'tomorrow'])(
    'rejects %s',
    (input) => {
      expect(parseZonedIsoDate(input)).toBeUndefined();
    },
  );

  it.each(['9999-12-31T23:59:59-12:00', '9999-12-31T23:59:59.001Z', '9999-12-31T23:00:00-01:00', '1000-01-01T00:00:00+00:01'])(
    'rejects %s, beyond the date horizon once its offset is applied',
    (input) => {
      expect(parseZonedIsoDate(input)).toBeUndefined();
    },
  );
});
