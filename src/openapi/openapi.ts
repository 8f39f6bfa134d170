import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = '/openapi.json';

/**
 * Generates the OpenAPI 3 document from the controllers and DTOs at start-up, serves it at
 * /openapi.json and Swagger UI at /docs. The bearer scheme is declared for endpoints that take an
 * organiser key (`@ApiBearerAuth()`).
 */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Ticketing API')
    .setDescription('Organisers publish events with ticket categories; buyers book seats, and no seat is ever sold twice.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'] });
}
