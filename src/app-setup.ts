import type { NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Environment } from './config/environment.js';
import { trustProxyHops } from './http/http-adapter.js';
import { AppLogger } from './logging/app-logger.js';
import { setUpOpenApi } from './openapi/openapi.js';

export const applicationOptions: NestApplicationOptions = { bodyParser: false };

/** What the app and the tests both do between creating the application and listening. */
export function configureApplication(app: NestFastifyApplication): void {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  app.useLogger(app.get(AppLogger));
  trustProxyHops(config.get('TRUSTED_PROXIES', { infer: true }));
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
