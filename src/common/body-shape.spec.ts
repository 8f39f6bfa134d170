import { assertBodyShape, MAX_BODY_DEPTH, MAX_BODY_MEMBERS } from './body-shape.js';
import { MAX_LISTED_PROBLEMS } from './domain-error.js';
import { ErrorCode } from './error-code.js';

function nested(depth: number, asArray = false): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = asArray ? [value] : { a: value };
  return value;
}

function problemsOf(body: unknown): string[] {
  try {
    assertBodyShape(body);
  } catch (error) {
    expect(error).toEqual(expect.objectContaining({ code: ErrorCode.ValidationFailed }));
    return (error as { details: string[] }).details;
  }
  return [];
}

const fiftyCategories = Array.from({ length: 50 }, (_, i) => ({ name: `C${i}`, price: 1, seats_limit: 1, seats_sold: 0, max_per_booking: 1 }));

describe('assertBodyShape', () => {
  it('accepts every body the API takes, and nesting up to the limit', () => {
    expect(problemsOf({ name: 'A', venue: 'B', date: '2027-01-01T00:00:00Z', details: 'é😀', ticket_categories: fiftyCategories })).toEqual([]);
    expect(problemsOf(nested(MAX_BODY_DEPTH))).toEqual([]);
    expect(problemsOf(null)).toEqual([]);
    expect(problemsOf(undefined)).toEqual([]);
  });

  it('refuses objects or arrays nested beyond it', () => {
    expect(problemsOf(nested(MAX_BODY_DEPTH + 1))).toEqual([`the request body must not be nested more than ${MAX_BODY_DEPTH} levels deep`]);
    expect(problemsOf(nested(MAX_BODY_DEPTH + 1, true))).toHaveLength(1);
  });

  it('measures a body 100,000 levels deep without overflowing the stack itself', () => {
    expect(problemsOf(nested(100_000))).toHaveLength(1);
  });

  it(`refuses more than ${MAX_BODY_MEMBERS} keys and array items, counted at every level`, () => {
    const keys = Object.fromEntries(Array.from({ length: MAX_BODY_MEMBERS + 1 }, (_, i) => [`k${i}`, 1]));
    const items = { list: Array.from({ length: MAX_BODY_MEMBERS }, () => 1) };
    const spread = { a: Array.from({ length: 300 }, () => 1), b: { c: Array.from({ length: 200 }, () => 1) } };
    const limit = [`the request body must not hold more than ${MAX_BODY_MEMBERS} fields and array items in all`];
    expect(problemsOf(keys)).toEqual(limit);
    expect(problemsOf(items)).toEqual(limit);
    expect(problemsOf(spread)).toEqual(limit);
    expect(problemsOf({ list: Array.from({ length: MAX_BODY_MEMBERS - 1 }, () => 1) })).toEqual([]);
  });

  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype', 'isPrototypeOf'])(
    'reports the key %j, which the DTO mapping would drop silently, as an unknown field at any depth',
    (key) => {
      expect(problemsOf(JSON.parse(`{"quantity":1,"${key}":1}`))).toEqual([`property ${key} should not exist`]);
      expect(problemsOf(JSON.parse(`{"ticket_categories":[{"name":"A"},{"name":"B","${key}":1}]}`))).toEqual([`ticket_categories.1.property ${key} should not exist`]);
    },
  );

  it('refuses strings and field names that are not well-formed Unicode, naming where', () => {
    expect(problemsOf({ name: '\ud800x', ticket_categories: [{ name: 'ok' }, { name: 'x\udfff' }] })).toEqual([
      'name must be well-formed Unicode text (it holds a lone surrogate)',
      'ticket_categories.1.name must be well-formed Unicode text (it holds a lone surrogate)',
    ]);
    expect(problemsOf({ ['\udc00']: 1 })).toEqual(['the request body has a field name that is not well-formed Unicode text']);
    expect(problemsOf({ pair: '😀', text: 'plain' })).toEqual([]);
  });

  it(`lists at most ${MAX_LISTED_PROBLEMS} problems and says how many more there are`, () => {
    const body = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, '\ud800']));
    const problems = problemsOf(body);
    expect(problems).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(problems.at(-1)).toBe('…and 10 more');
  });
});
