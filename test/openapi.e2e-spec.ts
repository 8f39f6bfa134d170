import { Validator } from '@seriousme/openapi-schema-validator';
import { SwaggerModule, type OpenAPIObject, type OperationObject, type ParameterObject, type ResponseObject, type SchemaObject } from '@nestjs/swagger';
import { ErrorCode } from '../src/common/error-code.js';
import { httpStatusOf, RETRYABLE_CODES, statusText } from '../src/http/error-responses.js';
import { parseIdempotencyKey } from '../src/idempotency/idempotency-key.js';
import { ERROR_CODES_EXTENSION } from '../src/openapi/api-decorators.js';
import { documentConfig } from '../src/openapi/openapi.js';
import { createEvent, organizerAuth } from './support/fixtures.js';
import { injectedHttp } from './support/injected-http.js';
import { ContractViolation, ResponseValidator, type ObservedAnswer } from './support/response-validator.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;
let document: OpenAPIObject;

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

interface NamedOperation {
  route: string;
  operation: OperationObject;
}

function operationsOf(openApi: OpenAPIObject): NamedOperation[] {
  return Object.entries(openApi.paths).flatMap(([path, item]) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((method) => {
      const operation = item[method];
      return operation ? [{ route: `${method.toUpperCase()} ${path}`, operation }] : [];
    }),
  );
}

function responsesOf(operation: OperationObject): [string, ResponseObject][] {
  return Object.entries(operation.responses) as [string, ResponseObject][];
}

function jsonSchemaOf(response: ResponseObject): SchemaObject {
  return (response.content?.['application/json']?.schema ?? {}) as SchemaObject;
}

function codesOf(response: ResponseObject): string[] {
  return ((jsonSchemaOf(response).properties?.code as SchemaObject | undefined)?.enum ?? []) as string[];
}

function errorResponsesOf(operation: OperationObject): [string, ResponseObject][] {
  return responsesOf(operation).filter(([, response]) => codesOf(response).length > 0);
}

function parametersOf(operation: OperationObject): ParameterObject[] {
  return (operation.parameters ?? []) as ParameterObject[];
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('documents every route the app serves', () => {
    const served = testApp.routes
      .filter(({ method, url }) => method !== 'HEAD' && !isDocumentationRoute(url))
      .map(({ method, url }) => `${method} ${toOpenApiPath(url)}`);
    const documented = operationsOf(document).map(({ route }) => route);
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('has every route declare its own errors with @ApiErrors (or @ApiEdgeErrorsOnly)', () => {
    // The decorators' declarations, before completeDocument() turns them into responses.
    const undeclared = operationsOf(SwaggerModule.createDocument(testApp.app, documentConfig()))
      .filter(({ operation }) => !(ERROR_CODES_EXTENSION in operation))
      .map(({ route }) => route);
    expect(undeclared).toEqual([]);
    expect(operationsOf(document).filter(({ operation }) => ERROR_CODES_EXTENSION in operation)).toEqual([]);
  });

  it('gives every operation a success response and what any route can answer before its handler runs', () => {
    for (const { route, operation } of operationsOf(document)) {
      const statuses = Object.keys(operation.responses);
      expect({ route, success: statuses.some((status) => status.startsWith('2')) }).toEqual({ route, success: true });
      expect({ route, statuses: statuses.filter((status) => ['400', '408', '431', '500'].includes(status)) }).toEqual({ route, statuses: ['400', '408', '431', '500'] });
    }
    expect(Object.keys(document.paths['/events/{id}/book'].post!.responses).sort()).toEqual(['201', '400', '404', '408', '409', '413', '414', '415', '422', '429', '431', '500', '503']);
  });

  it('lists each error code an endpoint can answer under the status the filter answers it with', () => {
    const book = document.paths['/events/{id}/book'].post!;
    expect(codesOf(book.responses['409'] as ResponseObject)).toEqual(['EVENT_IN_PAST', 'EVENT_CANCELLED', 'SOLD_OUT', 'INSUFFICIENT_SEATS', 'CODE_EXHAUSTED', 'SALES_NOT_STARTED', 'SALES_ENDED', 'IDEMPOTENCY_KEY_IN_USE']);
    expect(codesOf(book.responses['422'] as ResponseObject)).toEqual(['TICKET_CATEGORY_NOT_FOUND', 'QUANTITY_ABOVE_LIMIT', 'CODE_NOT_VALID', 'CODE_NOT_APPLICABLE', 'IDEMPOTENCY_KEY_REUSED']);
    expect(codesOf(document.paths['/holds/{reference}/confirm'].post!.responses['400'] as ResponseObject)).toContain('VALIDATION_FAILED');
    for (const { route, operation } of operationsOf(document)) {
      for (const [status, response] of errorResponsesOf(operation)) {
        const misplaced = codesOf(response).filter((code) => String(httpStatusOf(code as ErrorCode)) !== status);
        expect({ route, status, misplaced }).toEqual({ route, status, misplaced: [] });
      }
    }
  });

  it('gives every error code an example true to its status: its statusCode, phrase and a real message; error_id only on 500', () => {
    for (const { route, operation } of operationsOf(document)) {
      for (const [status, response] of errorResponsesOf(operation)) {
        const examples = response.content!['application/json'].examples as Record<string, { value: Record<string, unknown> }>;
        expect({ route, status, examples: Object.keys(examples) }).toEqual({ route, status, examples: codesOf(response) });
        for (const [code, { value }] of Object.entries(examples)) {
          expect(value).toMatchObject({ statusCode: Number(status), error: statusText(Number(status)), code });
          expect(JSON.stringify(value.message)).not.toMatch(/^"?(string)?"?$/);
          expect('error_id' in value).toBe(status === '500');
        }
      }
    }
  });

  it('declares the headers each answer carries', () => {
    for (const { route, operation } of operationsOf(document)) {
      const idempotent = parametersOf(operation).some((parameter) => parameter.name === 'Idempotency-Key');
      const paged = parametersOf(operation).some((parameter) => parameter.in === 'query' && parameter.name === 'cursor');
      for (const [status, response] of responsesOf(operation)) {
        const headers = Object.keys(response.headers ?? {});
        const codes = codesOf(response);
        const expected = [
          'X-Request-Id',
          ...(codes.includes(ErrorCode.Unauthorized) ? ['WWW-Authenticate'] : []),
          ...(codes.some((code) => RETRYABLE_CODES.has(code as ErrorCode)) ? ['Retry-After'] : []),
          ...(idempotent && status.startsWith('2') ? ['Idempotent-Replayed'] : []),
          ...(paged && status.startsWith('2') ? ['Link'] : []),
        ];
        expect({ route, status, headers }).toEqual({ route, status, headers: expect.arrayContaining(expected) });
      }
    }
  });

  it('leaves out of `required` every request field with a default, and says none of a request schema has one', () => {
    // openapi-typescript (7, defaults) types a property with a `default` as always present, in a
    // request body too: a client could not leave seats_sold out. The default goes in the description.
    const requestSchemas = new Set<string>();
    for (const { operation } of operationsOf(document)) {
      const schema = (operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)?.content?.['application/json']?.schema;
      if (schema?.$ref) requestSchemas.add(schema.$ref.split('/').pop()!);
    }
    const schemas = document.components!.schemas as Record<string, SchemaObject>;
    for (const name of [...requestSchemas]) {
      for (const property of Object.values(schemas[name].properties ?? {}) as SchemaObject[]) {
        const items = (property.items as { $ref?: string } | undefined)?.$ref;
        if (items) requestSchemas.add(items.split('/').pop()!);
      }
    }
    expect([...requestSchemas].sort()).toEqual(['CheckInDto', 'CreateBookingDto', 'CreateCodeDto', 'CreateEventDto', 'CreateTicketCategoryDto', 'JoinWaitlistDto', 'OrderItemDto', 'UpdateCodeDto', 'UpdateEventDto', 'UpdateTicketCategoryDto', 'CreateWebhookDto', 'UpdateWebhookDto'].sort());
    for (const name of requestSchemas) {
      const withDefault = Object.entries(schemas[name].properties ?? {}).filter(([, property]) => 'default' in property).map(([property]) => property);
      expect({ name, withDefault }).toEqual({ name, withDefault: [] });
      expect({ name, additionalProperties: schemas[name].additionalProperties }).toEqual({ name, additionalProperties: false });
    }
    expect(schemas.CreateTicketCategoryDto.required).toEqual(['name', 'price', 'seats_limit']);
  });

  it('gives Idempotency-Key the limits the server enforces', () => {
    const header = parametersOf(document.paths['/holds/{reference}/confirm'].post!).find((parameter) => parameter.name === 'Idempotency-Key')!;
    const schema = header.schema as SchemaObject;
    expect(schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 255 });
    for (const key of ['', 'a', 'x'.repeat(255), 'x'.repeat(256), 'clé', 'tab\there', '7d1c0c5e-order-42', ' spaced ']) {
      const accepted = (() => {
        try {
          parseIdempotencyKey(key);
          return true;
        } catch {
          return false;
        }
      })();
      expect({ key, documented: new RegExp(schema.pattern!).test(key) }).toEqual({ key, documented: accepted });
    }
  });

  it('gives path ids, references, cursors and limits the limits the server enforces', () => {
    const list = parametersOf(document.paths['/events/{id}/bookings'].get!);
    expect(list.find((parameter) => parameter.name === 'id')?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    expect(list.find((parameter) => parameter.name === 'limit')?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(list.find((parameter) => parameter.name === 'cursor')?.schema).toMatchObject({ type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });
    const reference = parametersOf(document.paths['/bookings/{reference}'].get!).find((parameter) => parameter.name === 'reference');
    expect(new RegExp((reference?.schema as SchemaObject).pattern!).test('r67ajw8xqs72')).toBe(true);
  });

  it('describes organiser keys as the opaque bearer tokens they are, not JWTs', () => {
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components?.securitySchemes?.bearer).not.toHaveProperty('bearerFormat');
  });

  it('marks exactly the organiser and door-staff endpoints with the bearer scheme', () => {
    const anonymousToo = (operation: OperationObject) => operation.security?.some((requirement) => Object.keys(requirement).length === 0);
    const secured = operationsOf(document)
      .filter(({ operation }) => operation.security?.length && !anonymousToo(operation))
      .map(({ route }) => route);
    expect(secured.sort()).toEqual(
      [
        'DELETE /events/{id}/check-ins/{code}',
        'DELETE /events/{id}/codes/{code}',
        'DELETE /events/{id}/scanner-keys/{prefix}',
        'GET /events/{id}/attendees.csv',
        'GET /events/{id}/bookings',
        'GET /events/{id}/check-ins/summary',
        'GET /events/{id}/codes',
        'GET /events/{id}/scanner-keys',
        'GET /events/{id}/waitlist',
        'PATCH /events/{id}',
        'PATCH /events/{id}/codes/{code}',
        'POST /events',
        'POST /events/{id}/cancel',
        'POST /events/{id}/check-ins',
        'POST /events/{id}/codes',
        'POST /events/{id}/scanner-keys',
        'GET /webhooks',
        'POST /webhooks',
        'GET /webhooks/{id}',
        'PATCH /webhooks/{id}',
        'DELETE /webhooks/{id}',
        'POST /webhooks/{id}/rotate-secret',
        'GET /webhooks/{id}/deliveries',
        'POST /webhooks/{id}/deliveries/{message_id}/retry',
      ].sort(),
    );
  });

  it('marks the public reads that show an owner more as open to anyone, or with the bearer scheme', () => {
    const optional = operationsOf(document).filter(({ operation }) => operation.security?.some((requirement) => Object.keys(requirement).length === 0));
    expect(optional.map(({ route }) => route).sort()).toEqual(['GET /events', 'GET /events/{id}']);
    for (const { operation } of optional) expect(operation.security).toEqual([{}, { bearer: [] }]);
  });

  it('documents Idempotency-Key on exactly the POST operations, which @Idempotent() also makes replayable', () => {
    const withKey = operationsOf(document)
      .filter(({ operation }) => parametersOf(operation).some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key'))
      .map(({ route }) => route);
    const posts = operationsOf(document)
      .map(({ route }) => route)
      .filter((route) => route.startsWith('POST '));
    expect(withKey.sort()).toEqual(posts.sort());
    expect(posts).toHaveLength(13);
  });

  it('gives the seat requests an example of each form, each of which the service books and holds', async () => {
    const event = await createEvent(testApp);
    for (const route of ['/events/{id}/book', '/events/{id}/holds']) {
      const content = (document.paths[route].post!.requestBody as { content: Record<string, { examples?: Record<string, { value: object }> }> }).content;
      const examples = Object.values(content['application/json'].examples ?? {});
      expect({ route, forms: examples.length }).toEqual({ route, forms: 2 });
      for (const { value } of examples) {
        await testApp.http().post(route.replace('{id}', String(event.id))).send(value).expect(201);
      }
    }
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await testApp.http().get('/docs').expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});

describe('the response check every spec runs', () => {
  /** A real answer of the app, to be broken one way at a time. */
  async function observed(method: 'get' | 'post', url: string, body?: unknown): Promise<ObservedAnswer> {
    const request = testApp.http()[method](url).set('Authorization', organizerAuth);
    const response = await (body === undefined ? request : request.send(body));
    return { method: method.toUpperCase(), url, requestHeaders: {}, status: response.status, headers: { ...response.headers }, body: response.text };
  }

  function violations(answer: ObservedAnswer): string[] {
    return testApp.contract.problemsOf(answer);
  }

  let event: ObservedAnswer;

  beforeAll(async () => {
    event = await observed('post', '/events', {
      name: 'Contract',
      venue: 'Hall',
      date: '2099-01-01T00:00:00Z',
      ticket_categories: [{ name: 'General', price: 10, seats_limit: 5 }],
    });
  });

  it('passes the answers the app gives', async () => {
    expect(event.status).toBe(201);
    expect(violations(event)).toEqual([]);
    expect(violations(await observed('get', '/no-such-route'))).toEqual([]);
    expect(violations(await observed('get', '/metrics'))).toEqual([]);
  });

  it('fails a body missing a required field, with a field of the wrong type, or with a field the document does not name', () => {
    const body = JSON.parse(event.body) as Record<string, unknown>;
    const missing = { ...body };
    delete missing.sold_out;
    expect(violations({ ...event, body: JSON.stringify(missing) })).toEqual([expect.stringContaining("must have required property 'sold_out'")]);
    expect(violations({ ...event, body: JSON.stringify({ ...body, id: '1' }) })).toEqual([expect.stringContaining('body/id must be integer')]);
    expect(violations({ ...event, body: JSON.stringify({ ...body, organizer_id: 1 }) })).toEqual([expect.stringContaining('must NOT have additional properties')]);
  });

  it('fails a status the operation does not declare, and an error whose code is not one of its status', () => {
    expect(violations({ ...event, status: 418 })).toEqual([expect.stringContaining('declares no 418')]);
    const soldOutAs404 = { statusCode: 404, error: 'Not Found', code: 'SOLD_OUT', message: 'Ticket category "VIP" is sold out.' };
    expect(violations({ ...event, method: 'POST', url: '/events/1/book', status: 404, body: JSON.stringify(soldOutAs404) })).toEqual([
      expect.stringContaining('body/code must be equal to one of the allowed values'),
    ]);
  });

  it('fails a content type the document does not declare, and a header it does not declare or that is missing', () => {
    expect(violations({ ...event, headers: { ...event.headers, 'content-type': 'text/html' } })).toEqual([expect.stringContaining('content type "text/html"')]);
    expect(violations({ ...event, headers: { ...event.headers, etag: '"1"' } })).toEqual(['the header etag is sent but not declared']);
    const withoutId = { ...event.headers };
    delete withoutId['x-request-id'];
    expect(violations({ ...event, headers: withoutId })).toEqual(['the required header X-Request-Id is missing']);
    expect(violations({ ...event, headers: { ...event.headers, 'idempotent-replayed': 'yes' } })).toEqual([expect.stringContaining('header Idempotent-Replayed must be equal to one of the allowed values')]);
  });

  it('fails an answer to an unknown URL that is not the documented NotFound', async () => {
    const unknown = await observed('get', '/no-such-route');
    expect(violations({ ...unknown, body: JSON.stringify({ message: 'Not here' }) })).not.toEqual([]);
    expect(violations({ ...unknown, status: 405 })).toEqual([expect.stringContaining('no response in components.responses has status 405')]);
  });

  it('rejects the request of a spec whose answer breaks the document', async () => {
    const tampered = structuredClone(document);
    delete tampered.paths['/events/{id}'].get!.responses['404'];
    const http = injectedHttp(testApp.app, new ResponseValidator(tampered));
    await expect(http.get('/events/999999').expect(404)).rejects.toThrow(ContractViolation);
    await expect(http.get('/events/999999').expect(404)).rejects.toThrow('GET /events/{id} declares no 404');
  });
});
