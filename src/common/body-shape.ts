import { ValidationFailedError } from './domain-error.js';

/** No endpoint takes a body nested more than a few levels; this leaves ample room. */
export const MAX_BODY_DEPTH = 32;

/**
 * Keys and array items in one body or query string, counted at every level. The largest body the
 * API takes, an event with 50 categories, has 305. Validation costs grow with members, and faster
 * than linearly (115,000 unknown keys kept class-validator busy for 17 s); at this bound the
 * costliest body, categories failing every rule, takes about 15 ms (test/request-size.e2e-spec.ts).
 */
export const MAX_BODY_MEMBERS = 500;

const MEMBERS_METADATA = Symbol('maxBodyMembers');

/** The most members any body may declare it holds: walks that run before a DTO is known stop here. */
export const MAX_DECLARABLE_MEMBERS = 1_200;

/**
 * A body shape that legitimately holds more members than MAX_BODY_MEMBERS (a name for each of a
 * thousand tickets, say) declares its own bound on its DTO class; the routes that take it declare a
 * body limit to match, so the cost of a request stays bounded by its size.
 */
export function MaxBodyMembers(count: number): ClassDecorator {
  if (count > MAX_DECLARABLE_MEMBERS) throw new Error(`A body may hold at most ${MAX_DECLARABLE_MEMBERS} members, not ${count}`);
  return (target) => Reflect.defineMetadata(MEMBERS_METADATA, count, target);
}

/** The member bound of a DTO class (MAX_BODY_MEMBERS unless it declares its own). */
export function maxMembersOf(type: unknown): number {
  const declared: unknown = typeof type === 'function' ? Reflect.getMetadata(MEMBERS_METADATA, type) : undefined;
  return typeof declared === 'number' ? declared : MAX_BODY_MEMBERS;
}

/**
 * Names no field of ours has, which the mapping to a DTO drops without a word instead of letting
 * validation report them: class-transformer skips a key the DTO inherits as a method (toString,
 * valueOf, __defineGetter__, …), and Nest's ValidationPipe deletes constructor and prototype.
 */
function isSilentlyDroppedKey(key: string): boolean {
  return key in Object.prototype || key === 'prototype';
}

type Pending = [value: unknown, path: string, depth: number];

/**
 * One walk over a parsed body (or query) before anything else reads it: refuses nesting deeper than
 * MAX_BODY_DEPTH (the recursive walks after it, class-transformer's and the idempotency
 * fingerprint's, would overflow the stack), more than MAX_BODY_MEMBERS keys and items, keys that
 * would be dropped silently, and strings that are not well-formed Unicode (a lone surrogate is stored
 * as a different replacement character by each database). Iterative and stopped at the first
 * limit, so a hostile body costs no more than its size.
 */
export function assertBodyShape(body: unknown, subject = 'the request body', maxMembers = MAX_BODY_MEMBERS): void {
  const problems: string[] = [];
  const pending: Pending[] = [[body, '', 0]];
  let members = 0;
  for (let next = 0; next < pending.length; next++) {
    const [value, path, depth] = pending[next];
    if (typeof value === 'string') {
      if (!value.isWellFormed()) problems.push(`${path || subject} must be well-formed Unicode text (it holds a lone surrogate)`);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) throw new ValidationFailedError([`${subject} must not be nested more than ${MAX_BODY_DEPTH} levels deep`]);
    members += Array.isArray(value) ? value.length : Object.keys(value).length;
    if (members > maxMembers) {
      throw new ValidationFailedError([`${subject} must not hold more than ${maxMembers} fields and array items in all`]);
    }
    const prefix = path === '' ? '' : `${path}.`;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (!key.isWellFormed()) problems.push(`${path || subject} has a field name that is not well-formed Unicode text`);
      else if (!Array.isArray(value) && isSilentlyDroppedKey(key)) problems.push(`${prefix}property ${key} should not exist`);
      else pending.push([child, `${prefix}${key}`, depth + 1]);
    }
  }
  if (problems.length > 0) throw new ValidationFailedError(problems);
}
