import { Transform } from 'class-transformer';

/**
 * The one form a ticket category's name is compared and stored in: trimmed, and in Unicode NFC,
 * so that "VIP " is "VIP" and an "é" typed as one code point or as "e" + accent is the same
 * name. Both databases then agree on what is a duplicate (MariaDB's PAD SPACE collation ignored
 * trailing spaces that SQLite kept).
 */
export function normaliseName(name: string): string {
  return name.trim().normalize('NFC');
}

/** Normalises a name field of a request body before it is validated. */
export function NormalisedName(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseName(value) : value));
}
