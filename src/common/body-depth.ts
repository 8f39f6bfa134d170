import { ValidationFailedError } from './domain-error.js';

/** No endpoint takes a body nested more than a few levels; this leaves ample room. */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses a JSON body nested deeper than MAX_BODY_DEPTH. Fastify parses thousands of levels
 * happily, but the recursive walks after it (class-transformer, the idempotency fingerprint)
 * overflow the stack on such a body — a 500 for a client's mistake. Iterative, so measuring a
 * hostile body cannot overflow the stack itself.
 */
export function assertBodyDepth(body: unknown): void {
  const pending: [unknown, number][] = [[body, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) {
      throw new ValidationFailedError([`the request body must not be nested more than ${MAX_BODY_DEPTH} levels deep`]);
    }
    for (const child of Object.values(value as Record<string, unknown>)) pending.push([child, depth + 1]);
  }
}
