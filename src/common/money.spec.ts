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

  it('writes cents as DECIMAL text', () => {
    expect(formatCentsAsDecimal(1999)).toBe('19.99');
    expect(formatCentsAsDecimal(5)).toBe('0.05');
    expect(formatCentsAsDecimal(100_000_000)).toBe('1000000.00');
  });
});
