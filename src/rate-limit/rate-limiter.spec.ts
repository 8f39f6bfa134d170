import type { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { RateLimiter } from './rate-limit.module.js';

function limiter(limit: number): RateLimiter {
  return new RateLimiter({ get: () => limit } as unknown as ConfigService<Environment, true>);
}

function refusal(action: () => void): { code?: string; retryAfterSeconds?: number } | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error as { code?: string; retryAfterSeconds?: number };
  }
}

describe('RateLimiter', () => {
  it('lets the limit through in a minute, then refuses with RATE_LIMITED and the seconds left', () => {
    const limits = limiter(3);
    const start = 1_000_000;
    for (let i = 0; i < 3; i++) expect(refusal(() => limits.take('10.0.0.1', start + i))).toBeUndefined();
    expect(refusal(() => limits.take('10.0.0.1', start + 20_000))).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 40 });
  });

  it('counts each client apart', () => {
    const limits = limiter(1);
    limits.take('10.0.0.1', 0);
    expect(refusal(() => limits.take('10.0.0.2', 0))).toBeUndefined();
  });

  it('starts a fresh budget when the minute is over', () => {
    const limits = limiter(1);
    limits.take('10.0.0.1', 0);
    expect(refusal(() => limits.take('10.0.0.1', 59_999))).toBeDefined();
    expect(refusal(() => limits.take('10.0.0.1', 60_000))).toBeUndefined();
  });

  it('never refuses when the limit is 0 (off)', () => {
    const limits = limiter(0);
    for (let i = 0; i < 1000; i++) limits.take('10.0.0.1', 0);
  });
});
