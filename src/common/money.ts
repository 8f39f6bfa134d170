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

/** Exact for DECIMAL(10,2): a double holds every such amount times 100 far within rounding distance. */
export function parseDecimalToCents(value: string | number): number {
  return toCents(Number(value));
}

export function formatCentsAsDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

export const centsColumnTransformer: ValueTransformer = {
  to: (cents: number | null | undefined) => (cents === undefined || cents === null ? cents : formatCentsAsDecimal(cents)),
  from: (value: string | number | null) => (value === null ? null : parseDecimalToCents(value)),
};
