import type { NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../config/environment.js';
import { AppLogger } from '../logging/app-logger.js';
import { applyDeclaredBodyLimits, DEFAULT_BODY_LIMIT_BYTES } from './body-limit.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';
import { setUpOpenApi } from '../openapi/openapi.js';

/** Label for requests that matched no route: one value, so unknown URLs cannot blow up metric cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * How many proxies in front of us append to X-Forwarded-For. The adapter exists before the
 * configuration is read, so Fastify asks this function per request and it reads the setting then.
 */
let trustedProxyHops = 0;
const trustProxy = (_address: string, hop: number): boolean => hop < trustedProxyHops;

/**
 * The one place the HTTP platform is configured, so the app and the tests serve alike.
 * Bodies are JSON only: Fastify's own JSON parser stays (prototype-poisoning protection, the limit
 * each route declares with @BodyLimit()); its text parser goes, and Nest's form parser is never added, so any other
 * content type is answered 415. Nothing uses Nest middleware (logs and metrics are Fastify
 * hooks), so Express-style middleware support (middie) is never registered: it ran on every request.
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: DEFAULT_BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    return503OnClosing: false,
    trustProxy,
    skipMiddie: true,
  });
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser('text/plain');
  applyDeclaredBodyLimits(fastify);
  // The request id is echoed, so that a caller can quote it.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
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

export const applicationOptions: NestApplicationOptions = { bodyParser: false };

/** What the app and the tests both do between creating the application and listening. */
export function configureApplication(app: NestFastifyApplication): void {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  app.useLogger(app.get(AppLogger));
  trustedProxyHops = config.get('TRUSTED_PROXIES', { infer: true });
  // Helmet's defaults, except that plain-HTTP deployments must still load Swagger UI's assets.
  app.useSecurityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  const origins = config.get('CORS_ORIGINS', { infer: true });
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['Link', 'Retry-After', 'Idempotent-Replayed', 'X-Request-Id'],
    });
  }
  setUpOpenApi(app);
}
