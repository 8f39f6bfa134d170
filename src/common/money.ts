import type { ValueTransformer } from 'typeorm';

/**
 * Money is handled as integer cents so that arithmetic is exact (3 × 0.10 = 0.30).
 * DECIMAL columns arrive as strings from mysql2 and as numbers from SQLite.
 */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function centsToAmount(cents: number): number {
  return cents / 100;
}

export function parseDecimalToCents(value: string | number): number {
  if (typeof value === 'number') return toCents(value);
  const [whole, fraction = ''] = value.split('.');
  const sign = whole.startsWith('-') ? -1 : 1;
  const cents = Math.abs(Number(whole)) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return sign * cents;
}

export function formatCentsAsDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

export const centsColumnTransformer: ValueTransformer = {
  to: (cents: number | undefined) => (cents === undefined ? undefined : formatCentsAsDecimal(cents)),
  from: (value: string | number | null) => (value === null ? null : parseDecimalToCents(value)),
};
