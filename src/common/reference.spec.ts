import { generateReference, normaliseReference, REFERENCE_PATTERN } from './reference.js';

describe('booking references', () => {
  it('are 12 symbols of Crockford base32', () => {
    for (let i = 0; i < 200; i++) expect(generateReference()).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
  });

  it('do not repeat across many draws', () => {
    const references = new Set(Array.from({ length: 20_000 }, generateReference));
    expect(references.size).toBe(20_000);
  });

  it('use every symbol about equally often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) for (const symbol of generateReference()) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (4_000 * 12) / 32;
    for (const count of counts.values()) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.2);
  });

  it('are read back case-insensitively, with look-alike letters decoded', () => {
    expect(normaliseReference('abcdefghjkmn')).toBe('ABCDEFGHJKMN');
    expect(normaliseReference('O0IL11111111')).toBe('001111111111');
  });

  it.each(['', 'SHORT', 'ABCDEFGHJKMNP', 'ABCDEFGHJKU1', '../../etc/pwd'])('reject %j', (input) => {
    expect(normaliseReference(input)).toBeUndefined();
  });

  it.each(['abcdefghjkmn', 'O0IL11111111', 'R67AJW8XQS72', '', 'SHORT', 'ABCDEFGHJKMNP', 'ABCDEFGHJKU1', '../../etc/pwd'])(
    'are described by REFERENCE_PATTERN as they are read: %j',
    (input) => {
      expect(new RegExp(REFERENCE_PATTERN).test(input)).toBe(normaliseReference(input) !== undefined);
    },
  );
});
