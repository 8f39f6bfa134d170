import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER, requestIdFor } from './logging/request-id.js';
import { setUpOpenApi } from './openapi/openapi.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Label for requests that matched no route: one value, so unknown URLs cannot blow up metric cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

const routeTemplates = new WeakMap<IncomingMessage, string>();

/**
 * The one place the HTTP platform is configured, so the app and the tests serve alike.
 * Bodies are JSON only: Fastify's own JSON parser stays (1 MiB limit, prototype-poisoning
 * protection); its text parser goes, and Nest's form parser is never added, so any other
 * content type is answered 415.
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, genReqId: requestIdFor, return503OnClosing: false });
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser('text/plain');
  // Logs and metrics are keyed by route template (/events/:id), which only Fastify knows;
  // the request logger sees the bare Node request, so the template is kept beside it.
  // The request id is echoed, so that a caller can quote it.
  fastify.addHook('onRequest', (request, reply, done) => {
    routeTemplates.set(request.raw, request.routeOptions.url ?? UNMATCHED_ROUTE);
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  return adapter;
}

/** The route template a request matched, e.g. `/events/:id/book`. */
export function routeOf(request: IncomingMessage): string {
  return routeTemplates.get(request) ?? UNMATCHED_ROUTE;
}

export const applicationOptions: NestApplicationOptions = { bodyParser: false };

/** What the app and the tests both do between creating the application and listening. */
export function configureApplication(app: NestFastifyApplication): void {
  app.useLogger(app.get(Logger));
  setUpOpenApi(app);
}
