import { createHash } from 'node:crypto';
import { ValidationFailedError } from '../common/domain-error.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** 1–255 printable ASCII characters, sent once. */
export function parseIdempotencyKey(header: string | string[]): string {
  if (typeof header !== 'string' || !/^[\x20-\x7E]{1,255}$/.test(header)) {
    throw new ValidationFailedError(['Idempotency-Key must be 1 to 255 printable ASCII characters, sent once']);
  }
  return header;
}

/** The request a key stands for; bodies that differ only in key order are the same request. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${canonicalJson(body)}`).digest('hex');
}

/**
 * No endpoint takes a body nested deeper than a few levels; a hostile one thousands deep would
 * overflow the stack here (a 500), so it is refused as the invalid body it is.
 */
const MAX_BODY_DEPTH = 32;

function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_BODY_DEPTH) throw new ValidationFailedError([`the request body must not be nested more than ${MAX_BODY_DEPTH} levels deep`]);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
