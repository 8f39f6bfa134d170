import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { completeDocument } from './complete-document.js';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = '/openapi.json';

/**
 * The files of swagger-ui-dist that the page SwaggerModule serves at /docs loads (its HTML and
 * swagger-ui-init.js are routes of their own). The package holds more: its package.json and
 * README (which name its version), index.js, source maps of 1.9 MB; none of those is served.
 */
const SWAGGER_UI_ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png']);

/**
 * Generates the OpenAPI 3 document from the controllers and DTOs at start-up, completes it with
 * what every route answers (complete-document.ts), serves it at /openapi.json and Swagger UI at
 * /docs. The bearer scheme is declared for endpoints that take an organiser key (`@ApiBearerAuth()`).
 */
export function setUpOpenApi(app: INestApplication): void {
  const document = completeDocument(SwaggerModule.createDocument(app, documentConfig()));
  serveOnlySwaggerUiAssets(app.getHttpAdapter().getInstance() as FastifyInstance);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'] });
}

export function documentConfig(): Omit<OpenAPIObject, 'paths'> {
  return (
    new DocumentBuilder()
      .setTitle('Ticketing API')
      .setDescription(
        'Organisers publish events with ticket categories; buyers book seats, and no seat is ever sold twice. ' +
          'Every error has one shape (statusCode, error, code, message); each operation lists the codes it can answer under their status. ' +
          'A method and path that name no operation are answered as components.responses says (NotFound, or a refusal of the request itself).',
      )
      .setVersion('1')
      // Keys are opaque (`tk_` and 43 base64url characters), not JWTs: addBearerAuth() would say bearerFormat JWT.
      .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: 'An organiser API key, as `npm run organizers -- create NAME` prints it.' })
      .build()
  );
}

/**
 * SwaggerModule serves the whole package directory under /docs/* (with @fastify/static, which
 * takes no list of files from it): the route gets a first hook that sends anything else to the
 * not-found handler, as if it did not exist.
 */
function serveOnlySwaggerUiAssets(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== `/${DOCS_PATH}/*`) return;
    route.onRequest = [onlySwaggerUiAssets, ...[route.onRequest ?? []].flat()];
  });
}

function onlySwaggerUiAssets(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const file = (request.params as Record<string, string | undefined>)['*'];
  if (file !== undefined && SWAGGER_UI_ASSETS.has(file)) done();
  else reply.callNotFound();
}
