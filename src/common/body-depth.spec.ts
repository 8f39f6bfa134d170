import { assertBodyDepth, MAX_BODY_DEPTH } from './body-depth.js';
import { ErrorCode } from './error-code.js';

function nested(depth: number, asArray = false): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = asArray ? [value] : { a: value };
  return value;
}

describe('assertBodyDepth', () => {
  it('accepts every body the API takes, and nesting up to the limit', () => {
    expect(() => assertBodyDepth({ ticket_categories: [{ name: 'A', price: 1, seats_limit: 1 }] })).not.toThrow();
    expect(() => assertBodyDepth(nested(MAX_BODY_DEPTH))).not.toThrow();
    expect(() => assertBodyDepth(null)).not.toThrow();
  });

  it('refuses objects or arrays nested beyond it with VALIDATION_FAILED', () => {
    expect(() => assertBodyDepth(nested(MAX_BODY_DEPTH + 1))).toThrow(expect.objectContaining({ code: ErrorCode.ValidationFailed }));
    expect(() => assertBodyDepth(nested(MAX_BODY_DEPTH + 1, true))).toThrow(expect.objectContaining({ code: ErrorCode.ValidationFailed }));
  });

  it('measures a body 100,000 levels deep without overflowing the stack itself', () => {
    expect(() => assertBodyDepth(nested(100_000))).toThrow(expect.objectContaining({ code: ErrorCode.ValidationFailed }));
  });
});
