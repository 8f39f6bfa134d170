import { jest } from '@jest/globals';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../common/domain-error.js';
import { CLIENTS_IN_MEMORY, createPublicWriteLimit, type PublicWriteLimit } from './public-write-limit.js';
import { connectRedis } from './redis-connection.js';

const instances: FastifyInstance[] = [];

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(instances.splice(0).map((instance) => instance.close()));
});

async function limitOf(perMinute: number, options: { redis?: Redis; onStoreError?: (error: unknown) => void } = {}): Promise<PublicWriteLimit> {
  const fastify = Fastify();
  instances.push(fastify);
  return createPublicWriteLimit(fastify, { perMinute, redis: options.redis, onStoreError: options.onStoreError ?? (() => {}) });
}

function from(ip: string): FastifyRequest {
  return { ip, socket: { remoteAddress: '127.0.0.1' }, routeOptions: { config: {} } } as unknown as FastifyRequest;
}

async function refusal(attempt: Promise<void>): Promise<RateLimitedError | undefined> {
  try {
    await attempt;
    return undefined;
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createPublicWriteLimit', () => {
  it('lets the limit through in a minute, then refuses with RATE_LIMITED and the seconds left', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const limit = await limitOf(3);
    for (let i = 0; i < 3; i++) expect(await refusal(limit(from('203.0.113.7')))).toBeUndefined();
    now.mockReturnValue(1_020_000);
    expect(await refusal(limit(from('203.0.113.7')))).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 40 });
  });

  it('counts each client apart', async () => {
    const limit = await limitOf(1);
    await limit(from('203.0.113.7'));
    expect(await refusal(limit(from('198.51.100.23')))).toBeUndefined();
    expect(await refusal(limit(from('203.0.113.7')))).toBeDefined();
  });

  it('starts a fresh budget when the minute is over', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(0);
    const limit = await limitOf(1);
    await limit(from('203.0.113.7'));
    now.mockReturnValue(59_999);
    expect(await refusal(limit(from('203.0.113.7')))).toBeDefined();
    now.mockReturnValue(60_000);
    expect(await refusal(limit(from('203.0.113.7')))).toBeUndefined();
  });

  it(`takes a burst of ${CLIENTS_IN_MEMORY} new clients in well under a second, and remembers no more than that many`, async () => {
    const limit = await limitOf(1);
    await limit(from('192.0.2.1'));
    const startedAt = performance.now();
    for (let i = 0; i < CLIENTS_IN_MEMORY; i++) await limit(from(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    // The first client was the least recently seen: forgotten, it starts afresh.
    expect(await refusal(limit(from('192.0.2.1')))).toBeUndefined();
  });

  it('lets writes through and reports it when Redis cannot be reached', async () => {
    const errors: unknown[] = [];
    const redis = await connectRedis(`redis://127.0.0.1:${await closedPort()}`, () => {});
    try {
      const limit = await limitOf(1, { redis, onStoreError: (error) => errors.push(error) });
      for (let i = 0; i < 3; i++) expect(await refusal(limit(from('203.0.113.7')))).toBeUndefined();
      expect(errors).toHaveLength(3);
    } finally {
      redis.disconnect();
    }
  });
});
