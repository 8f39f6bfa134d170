import type { NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Environment } from './config/environment.js';
import { boundRequestTime, trustProxyHops } from './http/http-adapter.js';
import { SECURITY_HEADERS_OPTIONS } from './http/security-headers.js';
import { AppLogger } from './logging/app-logger.js';
import { setUpOpenApi } from './openapi/openapi.js';

export const applicationOptions: NestApplicationOptions = { bodyParser: false };

/** What the app and the tests both do between creating the application and listening. */
export function configureApplication(app: NestFastifyApplication): void {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  app.useLogger(app.get(AppLogger));
  trustProxyHops(config.get('TRUSTED_PROXIES', { infer: true }));
  boundRequestTime(app.getHttpServer(), {
    headersMs: config.get('HTTP_HEADERS_TIMEOUT_SECONDS', { infer: true }) * 1000,
    requestMs: config.get('HTTP_REQUEST_TIMEOUT_SECONDS', { infer: true }) * 1000,
  });
  app.useSecurityHeaders(SECURITY_HEADERS_OPTIONS);
  const origins = config.get('CORS_ORIGINS', { infer: true });
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'X-Request-Id'],
      exposedHeaders: ['ETag', 'Link', 'Retry-After', 'Idempotent-Replayed', 'X-Request-Id'],
    });
  }
  setUpOpenApi(app);
}
