import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a reference read aloud or retyped stays unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_LENGTH = 12;

/** 12 symbols × 5 bits = 60 bits from the OS's cryptographic source: not guessable, not walkable. */
export function generateReference(): string {
  const bytes = randomBytes(REFERENCE_LENGTH);
  let reference = '';
  for (const byte of bytes) reference += ALPHABET[byte & 31];
  return reference;
}

/** What normaliseReference() reads as a reference, as a JSON Schema pattern: the alphabet and its look-alikes, in any case. */
export const REFERENCE_PATTERN = `^[${ALPHABET}OIL${ALPHABET.toLowerCase()}oil]{${REFERENCE_LENGTH}}$`;

/**
 * Accepts what a person may type: any case, and the look-alikes Crockford decodes (O→0, I/L→1).
 * Returns undefined for anything that cannot be a reference.
 */
export function normaliseReference(input: string): string | undefined {
  const candidate = input.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  if (candidate.length !== REFERENCE_LENGTH) return undefined;
  for (const symbol of candidate) if (!ALPHABET.includes(symbol)) return undefined;
  return candidate;
}

/**
 * The entry a reference names, as a person typed it; a string that cannot be a reference is
 * answered like an unknown one. Bookings and holds are both looked up this way.
 */
export async function findByReference<T>(input: string, find: (reference: string) => Promise<T | null>, notFound: (input: string) => Error): Promise<T> {
  const reference = normaliseReference(input);
  const entry = reference === undefined ? null : await find(reference);
  if (entry === null) throw notFound(input);
  return entry;
}
