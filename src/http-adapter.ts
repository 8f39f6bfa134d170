import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The one place the HTTP platform is configured, so the app and the tests serve alike.
 * Bodies are JSON only: Fastify's own JSON parser stays (1 MiB limit, prototype-poisoning
 * protection); its text parser goes, and Nest's form parser is never added, so any other
 * content type is answered 415.
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  adapter.getInstance().removeContentTypeParser('text/plain');
  return adapter;
}

export const applicationOptions: NestApplicationOptions = { bodyParser: false };
