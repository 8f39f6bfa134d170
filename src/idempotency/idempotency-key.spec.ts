import { ErrorCode } from '../common/error-code.js';
import { requestFingerprint } from './idempotency-key.js';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

describe('requestFingerprint', () => {
  it('is the same for bodies that differ only in key order', () => {
    expect(requestFingerprint('POST', '/events/1/book', { quantity: 1, ticket_category: 'VIP' })).toBe(
      requestFingerprint('POST', '/events/1/book', { ticket_category: 'VIP', quantity: 1 }),
    );
  });

  it('refuses a hostile body nested thousands deep with VALIDATION_FAILED instead of overflowing the stack', () => {
    expect(() => requestFingerprint('POST', '/events/1/book', nested(5_000))).toThrow(expect.objectContaining({ code: ErrorCode.ValidationFailed }));
  });
});
