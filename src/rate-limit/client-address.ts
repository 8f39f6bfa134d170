import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';

/** Stands for a request whose connection has already gone, so it still counts somewhere. */
const UNKNOWN_CLIENT = 'unknown';

/**
 * The address a client's public writes are counted under. Fastify's request.ip is the entry that
 * the last of TRUSTED_PROXIES proxies appended to X-Forwarded-For, but the header is free text:
 * only a real IP address there names the client, anything else counts as the connection's. IPv6
 * clients are counted per /64 (the package's default), since one host holds a whole /64 and could
 * otherwise take a fresh budget per address; IPv4-mapped addresses count as their IPv4 form.
 */
export function clientAddressOf(request: FastifyRequest): string {
  const address = isIP(request.ip) === 0 ? request.socket.remoteAddress : request.ip;
  return address === undefined ? UNKNOWN_CLIENT : normalizeIP(address);
}
