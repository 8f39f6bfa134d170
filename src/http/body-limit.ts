import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @BodyLimit(); becomes the route's own bodyLimit. */
    bodyLimit?: number;
  }
}

/** What a route without @BodyLimit() accepts: none of them reads a body, so a stray one stays small. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024;

/**
 * The largest body the route takes, in bytes; Fastify answers 413 past it without parsing anything.
 * Declared on the route, since only the route knows what it reads. Merged into the route's
 * Fastify config rather than set with RouteConfig(), which would replace config set by others.
 */
export function BodyLimit(bytes: number): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<string, unknown>;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, bodyLimit: bytes }, handler);
  };
}

/** Nest passes only a route's config to Fastify, so the declared limit is moved into place as each route is added. */
export function applyDeclaredBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const declared = route.config?.bodyLimit;
    if (declared !== undefined) route.bodyLimit = declared;
  });
}
