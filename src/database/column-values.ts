/**
 * Column values as the drivers hand them over in raw rows: mysql2 gives DATETIME as a Date,
 * DECIMAL as a string and BOOLEAN as 0/1; better-sqlite3 gives DATETIME as UTC text
 * ("2027-06-15 18:00:00.000"), DECIMAL as a number and BOOLEAN as 0/1. Repositories read rows
 * through these so that an entity looks the same whichever database it came from.
 */
export function readDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(`${String(value).replace(' ', 'T')}Z`);
}

export function readNullableDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : readDate(value);
}

export function readBoolean(value: unknown): boolean {
  return value === true || Number(value) === 1;
}

export function readNullableInteger(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function readNullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
