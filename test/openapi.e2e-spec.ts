import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;
let document: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

beforeAll(async () => {
  testApp = await createTestApp();
  document = (await testApp.http().get('/openapi.json').expect(200)).body;
});

afterAll(async () => {
  await testApp.close();
});

/** Swagger UI and the document itself: served, but not part of the API they describe. */
function isDocumentationRoute(url: string): boolean {
  return url === '/openapi.json' || url === '/docs' || url.startsWith('/docs/');
}

/** Fastify's `/events/:id` is OpenAPI's `/events/{id}`. */
function toOpenApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('documents every route the app serves', () => {
    const served = testApp.routes
      .filter(({ method, url }) => method !== 'HEAD' && !isDocumentationRoute(url))
      .map(({ method, url }) => `${method} ${toOpenApiPath(url)}`);
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('gives every operation a success response, and a booking each status it can answer', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses);
        expect({ route: `${method} ${path}`, success: statuses.some((status) => status.startsWith('2')) }).toEqual({ route: `${method} ${path}`, success: true });
      }
    }
    expect(Object.keys(document.paths['/events/{id}/book'].post.responses).sort()).toEqual(['201', '400', '404', '409', '413', '415', '422', '429', '500', '503']);
  });

  it('lists each error code an endpoint can answer under its status', () => {
    const conflict = document.paths['/events/{id}/book'].post.responses['409'] as { content: { 'application/json': { schema: { allOf: { properties?: { code: { enum: string[] } } }[] } } } };
    const codes = conflict.content['application/json'].schema.allOf[1].properties?.code.enum;
    expect(codes).toEqual(['EVENT_IN_PAST', 'EVENT_CANCELLED', 'SOLD_OUT', 'INSUFFICIENT_SEATS', 'IDEMPOTENCY_KEY_IN_USE']);
  });

  it('marks exactly the organiser and door-staff endpoints with the bearer scheme', () => {
    const secured = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => (operation as { security?: unknown[] }).security?.length)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(secured.sort()).toEqual(
      [
        'DELETE /events/{id}/check-ins/{code}',
        'DELETE /events/{id}/scanner-keys/{prefix}',
        'GET /events/{id}/attendees.csv',
        'GET /events/{id}/bookings',
        'GET /events/{id}/check-ins/summary',
        'GET /events/{id}/scanner-keys',
        'PATCH /events/{id}',
        'POST /events',
        'POST /events/{id}/cancel',
        'POST /events/{id}/check-ins',
        'POST /events/{id}/scanner-keys',
      ].sort(),
    );
  });

  it('documents Idempotency-Key on exactly the POST operations, which @Idempotent() also makes replayable', () => {
    const withKey = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => (operation as { parameters?: { in: string; name: string }[] }).parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    const posts = Object.entries(document.paths).flatMap(([path, operations]) => (operations.post ? [`POST ${path}`] : []));
    expect(withKey.sort()).toEqual(posts.sort());
    expect(posts).toHaveLength(8);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await testApp.http().get('/docs').expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});
