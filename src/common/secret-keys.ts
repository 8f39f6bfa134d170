import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How much of a key is kept in the clear, enough to name it in lists and revocations. */
const PREFIX_LENGTH = 11;

/**
 * A bearer key: a kind (`tk_` for organisers, `sk_` for door scanners) and 256 random bits, far
 * beyond guessing, so one SHA-256 is all the hashing it needs. Only the hash is ever stored.
 */
export function newSecretKey(kind: 'tk' | 'sk'): string {
  return `${kind}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecretKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function secretKeyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

/** Whether a stored hash is the hash of this key, compared in constant time. */
export function isHashOf(storedHash: string, key: string): boolean {
  return timingSafeEqual(Buffer.from(storedHash, 'hex'), Buffer.from(hashSecretKey(key), 'hex'));
}
