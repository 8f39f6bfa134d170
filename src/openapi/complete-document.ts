import type {
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ErrorCode } from '../common/error-code.js';
import { BEARER_REALM, errorBody, httpStatusOf, responseHeadersOf, statusText } from '../http/error-responses.js';
import { REQUEST_ID_HEADER, SANE_REQUEST_ID } from '../http/request-id.js';
import { ERROR_CODES_EXTENSION, IF_NONE_MATCH } from './api-decorators.js';
import { EXAMPLE_ERROR_ID, EXAMPLE_ERRORS } from './error-examples.js';

/** Answered to any request before a route is chosen or while it is read, whatever it names. */
const BEFORE_ANY_ROUTE = [ErrorCode.MalformedRequest, ErrorCode.RequestTimeout, ErrorCode.HeadersTooLarge];

/** What the framework answers a request with a body before any handler reads it. */
const JSON_BODY_ERRORS = [ErrorCode.MalformedJson, ErrorCode.PayloadTooLarge, ErrorCode.UnsupportedMediaType];

/** Fastify reads a body on these methods only (a GET's is ignored), up to each route's limit. */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * What a request that names no operation (an unknown path, or a method the path has not) is
 * answered: the not-found handler reads a body as any route does, with the default limit.
 */
const UNROUTED = [ErrorCode.NotFound, ...JSON_BODY_ERRORS, ...BEFORE_ANY_ROUTE];


const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every response header the API itself sends, as the document declares it; security headers are left out. */
const RESPONSE_HEADERS: Record<string, HeaderObject> = {
  [REQUEST_ID_HEADER]: {
    required: true,
    description: 'The X-Request-Id the request carried when it is 1–128 letters, digits and ._:- (starting with a letter or digit), a new UUID otherwise; the log line of the request carries it too.',
    schema: { type: 'string', pattern: SANE_REQUEST_ID.source },
  },
  'Retry-After': {
    description: 'Seconds to wait before sending the same request again.',
    schema: { type: 'integer', minimum: 1 },
  },
  'WWW-Authenticate': {
    required: true,
    description: `${BEARER_REALM}, with error="invalid_token" when the key sent is unknown or revoked.`,
    schema: { type: 'string', pattern: `^${BEARER_REALM.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` },
  },
  'Idempotent-Replayed': {
    description: 'true when this is the stored answer to an earlier request with the same Idempotency-Key: nothing was done again.',
    schema: { type: 'string', enum: ['true'] },
  },
  Link: {
    description: 'RFC 8288 link to the next page (rel="next"), relative to the API root; absent on the last page.',
    schema: { type: 'string', pattern: '^<[^>]+>; rel="next"$' },
  },
  ETag: {
    required: true,
    description: 'Strong entity tag of the body, made from its bytes: send it back in If-None-Match.',
    schema: { type: 'string', pattern: '^"[^"]+"$' },
  },
  'Cache-Control': {
    required: true,
    description: '`public, max-age=<seconds>` while the read cache is on (READ_CACHE_MS; availability up to that old), `no-cache` when it is off.',
    schema: { type: 'string' },
  },
  'Content-Disposition': {
    required: true,
    description: 'A file to save, with its name.',
    schema: { type: 'string', pattern: '^attachment; filename="[^"]+"$' },
  },
};

/**
 * Completes the document that @nestjs/swagger generates from the decorators, for every operation
 * alike, from what the operation's own shape says: every status it can answer with the error codes
 * behind each (those its decorators declared, see ApiErrors, and those any route with its method,
 * parameters and body can answer before its handler runs), an example of each code, and the response
 * headers each answer carries. A route added later is covered by the same rules without listing them.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation) completeOperation(`${method.toUpperCase()} ${path}`, method, operation);
    }
  }
  closeRequestSchemas(document);
  document.components = {
    ...document.components,
    responses: Object.fromEntries(
      [...groupByStatus(orderedCodes(UNROUTED))].map(([status, codes]) => [statusText(status).replace(/[^A-Za-z]/g, ''), withRequestId(errorResponse(status, codes))]),
    ),
  };
  return document;
}

function completeOperation(name: string, method: string, operation: OperationObject): void {
  const extensions = operation as unknown as Record<string, ErrorCode[] | undefined>;
  const codes = errorCodesOf(method, operation, extensions[ERROR_CODES_EXTENSION] ?? []);
  delete extensions[ERROR_CODES_EXTENSION];
  for (const [status, statusCodes] of groupByStatus(codes)) {
    if (operation.responses[status] !== undefined) throw new Error(`${name}: status ${status} is declared both by a response decorator and by error codes (${statusCodes.join(', ')})`);
    operation.responses[status] = errorResponse(status, statusCodes);
  }
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  for (const [status, response] of Object.entries(operation.responses) as [string, ResponseObject][]) {
    withRequestId(response);
    // A 304 carries the headers of the answer it stands for.
    if (!status.startsWith('2') && status !== '304') continue;
    if (parameters.some((parameter) => parameter.in === 'header' && parameter.name === IF_NONE_MATCH)) {
      addHeader(response, 'ETag');
      addHeader(response, 'Cache-Control');
    }
    // A list that takes a cursor is paged: the next page's cursor comes in the Link header.
    if (parameters.some((parameter) => parameter.in === 'query' && parameter.name === 'cursor')) addHeader(response, 'Link');
    if (status === '304') continue;
    if (parameters.some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key')) addHeader(response, 'Idempotent-Replayed');
    // A CSV is a file to save, sent with its name.
    if (response.content?.['text/csv'] !== undefined) addHeader(response, 'Content-Disposition');
  }
}

function errorCodesOf(method: string, operation: OperationObject, declared: ErrorCode[]): ErrorCode[] {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  const implied = [
    ...BEFORE_ANY_ROUTE,
    ErrorCode.InternalError,
    // The router refuses a path parameter longer than its maxParamLength.
    ...(parameters.some((parameter) => parameter.in === 'path') ? [ErrorCode.UriTooLong] : []),
    ...(BODY_METHODS.has(method) ? JSON_BODY_ERRORS : []),
    // The validation pipe checks every body and query the route reads.
    ...(operation.requestBody !== undefined || parameters.some((parameter) => parameter.in === 'query') ? [ErrorCode.ValidationFailed] : []),
  ];
  return orderedCodes([...implied, ...declared]);
}

/** In the order of the ErrorCode enum, each once. */
function orderedCodes(codes: ErrorCode[]): ErrorCode[] {
  const all = new Set(codes);
  return Object.values(ErrorCode).filter((code) => all.has(code));
}

function groupByStatus(codes: ErrorCode[]): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/** The one error shape, narrowed to one status and its codes; error_id only on a 500. */
function errorResponse(status: number, codes: ErrorCode[]): ResponseObject {
  const internal = status === 500;
  const schema: SchemaObject = {
    type: 'object',
    required: ['statusCode', 'error', 'code', 'message', ...(internal ? ['error_id'] : [])],
    properties: {
      statusCode: { type: 'integer', enum: [status] },
      error: { type: 'string', enum: [statusText(status)] },
      code: { type: 'string', enum: codes, description: 'Stable, for programs to branch on.' },
      message: {
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
        description: 'For people; for VALIDATION_FAILED a list naming each offending field.',
      },
      ...(internal ? { error_id: { type: 'string', format: 'uuid', description: 'Quote it when reporting; the log line of the error has the same id.' } } : {}),
      ...factsOf(codes),
    },
    additionalProperties: false,
  };
  const examples = Object.fromEntries(
    codes.map((code) => {
      const error = EXAMPLE_ERRORS[code];
      const value = internal ? { ...errorBody(code, error.details), error_id: EXAMPLE_ERROR_ID } : { ...errorBody(code, error.details), ...error.facts };
      return [code, { summary: code, value }];
    }),
  );
  const response: ResponseObject = { description: codes.join(', '), content: { 'application/json': { schema, examples } } };
  for (const header of headersOf(codes)) addHeader(response, header.name, header.required);
  return response;
}

/** The fields some of these codes answer beside the shape's own (a DomainError's facts), each documented from its example. */
function factsOf(codes: ErrorCode[]): Record<string, SchemaObject> {
  const facts = codes.flatMap((code) => Object.entries(EXAMPLE_ERRORS[code].facts).map(([name, value]) => ({ name, value, code })));
  return Object.fromEntries(
    facts.map(({ name, value, code }) => [name, { type: typeof value === 'number' ? 'number' : 'string', ...(typeof value === 'string' && !Number.isNaN(Date.parse(value)) && { format: 'date-time' }), description: `With ${code}.` }]),
  );
}

/** The headers the exception filter sends with these codes, required when every one of them has it. */
function headersOf(codes: ErrorCode[]): { name: string; required: boolean }[] {
  const perCode = codes.map((code) => Object.keys(responseHeadersOf(EXAMPLE_ERRORS[code])));
  const names = [...new Set(perCode.flat())];
  return names.map((name) => ({ name, required: perCode.every((headers) => headers.includes(name)) }));
}

function addHeader(response: ResponseObject, name: string, required?: boolean): void {
  const header = RESPONSE_HEADERS[name];
  if (header === undefined) throw new Error(`The response header ${name} has no declaration in RESPONSE_HEADERS`);
  response.headers = { ...response.headers, [name]: required === undefined ? header : { ...header, required } };
}

function withRequestId(response: ResponseObject): ResponseObject {
  addHeader(response, REQUEST_ID_HEADER);
  return response;
}

/**
 * The validation pipe refuses any field a body schema does not name, so the schemas of request
 * bodies (and the schemas they are made of) say so.
 */
function closeRequestSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const closed = new Set<string>();
  const close = (schema: SchemaObject | ReferenceObject | undefined): void => {
    if (schema === undefined) return;
    if ('$ref' in schema) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      if (closed.has(name)) return;
      closed.add(name);
      close(schemas[name]);
      return;
    }
    if (schema.properties !== undefined) {
      schema.additionalProperties ??= false;
      Object.values(schema.properties).forEach(close);
    }
    close(schema.items);
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const body = pathItem[method]?.requestBody;
      if (body !== undefined && !('$ref' in body)) Object.values(body.content).forEach((media) => close(media.schema));
    }
  }
}
