import { centsColumnTransformer, centsToAmount, formatCentsAsDecimal, parseDecimalToCents, toCents } from './money.js';

describe('money', () => {
  it('multiplies exactly in cents: 3 × 0.10 = 0.3', () => {
    expect(centsToAmount(toCents(0.1) * 3)).toBe(0.3);
  });

  it('reads DECIMAL strings from mysql2 and numbers from SQLite alike', () => {
    expect(parseDecimalToCents('19.99')).toBe(1999);
    expect(parseDecimalToCents('1000000.00')).toBe(100_000_000);
    expect(parseDecimalToCents('0.5')).toBe(50);
    expect(parseDecimalToCents(19.99)).toBe(1999);
    expect(centsColumnTransformer.from(null)).toBeNull();
  });

  it('reads back every DECIMAL(10,2) amount it writes, to the cent', () => {
    const largest = 99_999_999_99;
    const samples = [
      ...Array.from({ length: 200_001 }, (_, i) => i - 100_000),
      ...Array.from({ length: 100_000 }, (_, i) => largest - i),
      ...Array.from({ length: 100_000 }, (_, i) => Math.floor((i * 7_919_993) % largest)),
    ];
    const misread = samples.filter((cents) => parseDecimalToCents(formatCentsAsDecimal(cents)) !== cents);
    expect(misread).toEqual([]);
  });

  it('writes cents as DECIMAL text', () => {
    expect(formatCentsAsDecimal(1999)).toBe('19.99');
    expect(formatCentsAsDecimal(5)).toBe('0.05');
    expect(formatCentsAsDecimal(100_000_000)).toBe('1000000.00');
  });
});
