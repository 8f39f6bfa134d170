import { createHash } from 'node:crypto';
import { assertBodyShape, MAX_BODY_MEMBERS } from '../common/body-shape.js';
import { ValidationFailedError } from '../common/domain-error.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** 1–255 printable ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

/** A key as IDEMPOTENCY_KEY_PATTERN says, sent once. */
export function parseIdempotencyKey(header: string | string[]): string {
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new ValidationFailedError(['Idempotency-Key must be 1 to 255 printable ASCII characters, sent once']);
  }
  return header;
}

/**
 * The request a key stands for; bodies that differ only in key order are the same request. This
 * runs before the validation pipe, so it guards its own recursion and work with the same shape
 * check, and the bound on members the route's body declares (`maxMembers`).
 */
export function requestFingerprint(method: string, url: string, body: unknown, authorization = '', maxMembers = MAX_BODY_MEMBERS): string {
  assertBodyShape(body, 'the request body', maxMembers);
  return createHash('sha256').update(`${method} ${url}
${authorization}
${canonicalJson(body)}`).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
