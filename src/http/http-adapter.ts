import type { HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from 'node:http';
import { answerError } from './all-exceptions.filter.js';
import { applyDeclaredBodyLimits, DEFAULT_BODY_LIMIT_BYTES } from './body-limit.js';
import { answerClientError, answerRouterError, refuseMissingHost, trackResponse } from './protocol-errors.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';

/** Label for requests that matched no route: one value, so unknown URLs cannot blow up metric cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * How many proxies in front of us append to X-Forwarded-For. The adapter exists before the
 * configuration is read, so Fastify asks this function per request and it reads the setting then.
 */
let trustedProxyHops = 0;
const trustProxy = (_address: string, hop: number): boolean => hop < trustedProxyHops;

/** Called once the configuration is read (see app-setup.ts). */
export function trustProxyHops(hops: number): void {
  trustedProxyHops = hops;
}

/**
 * The one place the HTTP platform is configured, so the app and the tests serve alike.
 * Bodies are JSON only: Fastify's own JSON parser stays (prototype-poisoning protection, the limit
 * each route declares with @BodyLimit()); its text parser goes, and Nest's form parser is never
 * added, so any other content type is answered 415. Nothing uses Nest middleware (logs and metrics
 * are Fastify hooks), so Express-style middleware support (middie) is never registered: it ran on
 * every request. What Node or the router refuse before any route runs is answered in the error
 * shape too (protocol-errors.ts).
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: DEFAULT_BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    return503OnClosing: false,
    trustProxy,
    skipMiddie: true,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerRouterError,
    // Timeouts are checked this often; their bounds are set from the configuration (configureApplication).
    http: { requireHostHeader: false, connectionsCheckingInterval: 1000 },
  });
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser('text/plain');
  applyDeclaredBodyLimits(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    // The request id is echoed, so that a caller can quote it.
    void reply.header(REQUEST_ID_HEADER, request.id);
    trackResponse(request, reply);
    done(refuseMissingHost(request));
  });
  return adapter;
}

/** The route template a request matched, e.g. `/events/:id/book`: what logs and metrics are keyed by. */
export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

/**
 * Runs `hook` for every answered request at the Fastify level, so that answers given before any
 * Nest handler runs (unknown route, malformed or oversized body) are seen too. An application
 * context without HTTP (npm run seed) has no requests, and nothing is registered.
 */
export function onEveryResponse(adapterHost: HttpAdapterHost, hook: (request: FastifyRequest, reply: FastifyReply) => void): void {
  const adapter = adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
  if (!adapter) return;
  adapter.getInstance<FastifyInstance>().addHook('onResponse', (request, reply, done) => {
    hook(request, reply);
    done();
  });
}

/**
 * A client sending its request a byte at a time held a connection open indefinitely: Fastify turns
 * Node's request timeout off. Both run from the request's first byte and are answered 408
 * REQUEST_TIMEOUT (see answerClientError). Fastify's connectionTimeout stays off: it counts silence
 * while a handler works too, so it would cut a booking waiting out its lock bound without an answer.
 */
export function boundRequestTime(server: Server, { headersMs, requestMs }: { headersMs: number; requestMs: number }): void {
  server.headersTimeout = headersMs;
  server.requestTimeout = requestMs;
}

/**
 * An answer given before Nest's pipeline: false passes the request on to its handler; true says it
 * has replied, a promise that it replies when the promise fulfils.
 */
export type EarlyAnswer = (request: FastifyRequest, reply: FastifyReply) => boolean | Promise<void>;

/**
 * Lets `answer` reply to GET requests of the given route templates after the request hooks (request
 * id, security headers, CORS) and before Nest's pipeline: for answers that need none of what
 * routing, guards and pipes do, which cost such an answer more than the work itself. An error it
 * throws or rejects with is answered as Nest's exception filter would (answerError); answers it
 * gives are logged and counted like any other.
 */
export function answerBeforeHandlers(adapterHost: HttpAdapterHost, routes: readonly string[], answer: EarlyAnswer): void {
  const adapter = adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
  if (!adapter) return;
  const templates = new Set(routes);
  adapter.getInstance<FastifyInstance>().addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || !templates.has(routeOf(request))) return done();
    const fail = (error: unknown): void => answerError(error, request, reply);
    try {
      const answered = answer(request, reply);
      if (answered === false) done();
      else if (answered !== true) answered.catch(fail);
    } catch (error) {
      fail(error);
    }
  });
}
