import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../common/domain-error.js';
import { clientAddressOf } from './client-address.js';

export const WINDOW_MS = 60_000;

/**
 * Clients an instance without Redis remembers: the least recently seen are forgotten past it (and
 * start afresh), so a burst of new addresses costs constant memory and time per request.
 */
export const CLIENTS_IN_MEMORY = 10_000;

/** Keeps the counters apart from anything else kept in the same Redis. */
export const REDIS_KEY_PREFIX = 'ticketing-api:rate-limit:';

export interface PublicWriteLimitOptions {
  perMinute: number;
  /** Counts in Redis, shared by every instance using it; in this process's memory without. */
  redis?: Redis;
  /** The store could not count a request, and it was let through. */
  onStoreError: (error: unknown) => void;
}

/** Counts one public write of the request's client; refuses it once the minute's budget is spent. */
export type PublicWriteLimit = (request: FastifyRequest) => Promise<void>;

/**
 * One budget for all public writes together: @fastify/rate-limit's per-route configuration would
 * give each route a budget of its own, so every write is counted through the one limiter that
 * createRateLimit() returns for the plugin's own settings.
 */
export async function createPublicWriteLimit(fastify: FastifyInstance, options: PublicWriteLimitOptions): Promise<PublicWriteLimit> {
  await fastify.register(fastifyRateLimit, {
    global: false,
    max: options.perMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: clientAddressOf,
    cache: CLIENTS_IN_MEMORY,
    redis: options.redis,
    nameSpace: REDIS_KEY_PREFIX,
  });
  const count = fastify.createRateLimit();
  return async (request) => {
    let counted: Awaited<ReturnType<typeof count>>;
    try {
      counted = await count(request);
    } catch (error) {
      // Selling tickets matters more than the limit: an unreachable store lets the write through.
      options.onStoreError(error);
      return;
    }
    if (!counted.isAllowed && counted.isExceeded) throw new RateLimitedError(Math.max(1, counted.ttlInSeconds));
  };
}
