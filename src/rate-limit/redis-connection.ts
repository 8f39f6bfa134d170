import { once } from 'node:events';
import { Redis } from 'ioredis';

/** How long start-up waits for Redis before serving anyway, with the limit open until it connects. */
const CONNECT_WAIT_MS = 1_000;

/**
 * A Redis client for the rate-limit counters that never makes a request wait for Redis: while
 * disconnected a command fails at once (no offline queue, no retries), a hung server is given up
 * on after COMMAND_TIMEOUT_MS, and the client keeps reconnecting in the background, so the limit
 * comes back by itself with the server.
 */
export const COMMAND_TIMEOUT_MS = 250;

export async function connectRedis(url: string, onError: (error: Error) => void): Promise<Redis> {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_WAIT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  client.on('error', onError);
  await once(client, 'ready', { signal: AbortSignal.timeout(CONNECT_WAIT_MS) }).catch(() => undefined);
  return client;
}
