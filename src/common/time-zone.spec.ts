import { canonicalTimeZone, localIsoDate, offsetMinutesAt } from './time-zone.js';

describe('time zones', () => {
  it('knows IANA zones, in their canonical spelling', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
  });

  it('refuses what is not a zone: unknown names, fixed offsets, empty text', () => {
    for (const name of ['Mars/Olympus', '+02:00', '-05:00', 'Z', '', ' Europe/Berlin', 'Europe/Berlin\n', 42, null]) expect(canonicalTimeZone(name)).toBeUndefined();
  });

  it('writes the instant with the offset the zone has at that instant', () => {
    expect(localIsoDate(new Date('2027-06-15T18:00:00Z'), 'Europe/Berlin')).toBe('2027-06-15T20:00:00+02:00');
    expect(localIsoDate(new Date('2027-01-15T18:00:00Z'), 'Europe/Berlin')).toBe('2027-01-15T19:00:00+01:00');
    expect(localIsoDate(new Date('2027-06-15T18:00:00Z'), 'UTC')).toBe('2027-06-15T18:00:00+00:00');
    expect(localIsoDate(new Date('2027-06-15T18:00:00Z'), 'America/New_York')).toBe('2027-06-15T14:00:00-04:00');
    expect(localIsoDate(new Date('2027-06-15T18:00:00Z'), 'Asia/Kolkata')).toBe('2027-06-15T23:30:00+05:30');
    expect(localIsoDate(new Date('2027-06-15T18:00:00.250Z'), 'Asia/Tokyo')).toBe('2027-06-16T03:00:00.250+09:00');
  });

  it('follows daylight saving across the change: Berlin, last Sunday of March 2027, 01:00 UTC', () => {
    expect(localIsoDate(new Date('2027-03-28T00:59:59Z'), 'Europe/Berlin')).toBe('2027-03-28T01:59:59+01:00');
    expect(localIsoDate(new Date('2027-03-28T01:00:00Z'), 'Europe/Berlin')).toBe('2027-03-28T03:00:00+02:00');
    expect(localIsoDate(new Date('2027-10-31T00:59:59Z'), 'Europe/Berlin')).toBe('2027-10-31T02:59:59+02:00');
    expect(localIsoDate(new Date('2027-10-31T01:00:00Z'), 'Europe/Berlin')).toBe('2027-10-31T02:00:00+01:00');
  });

  it('follows the southern hemisphere, whose summer is in January', () => {
    expect(offsetMinutesAt(new Date('2027-01-15T00:00:00Z'), 'Australia/Sydney')).toBe(660);
    expect(offsetMinutesAt(new Date('2027-07-15T00:00:00Z'), 'Australia/Sydney')).toBe(600);
  });

  it('answers the same offset for an instant it remembers as for one it computes, past the bound of remembered instants', () => {
    const summer = new Date('2027-06-15T18:00:00Z').getTime();
    const winter = new Date('2027-01-15T18:00:00Z').getTime();
    for (let i = 0; i < 25_000; i++) {
      expect(offsetMinutesAt(new Date(summer + i * 1000), 'Europe/Berlin')).toBe(120);
      expect(offsetMinutesAt(new Date(winter + i * 1000), 'Europe/Berlin')).toBe(60);
    }
    expect(localIsoDate(new Date(summer), 'Europe/Berlin')).toBe('2027-06-15T20:00:00+02:00');
  });
});
