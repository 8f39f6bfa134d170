import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { HeaderObject, OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { SECURITY_HEADERS } from '../../src/http/security-headers.js';
import { DOCS_PATH, OPENAPI_JSON_PATH } from '../../src/openapi/openapi.js';

/** One answer as the client saw it; header names in lower case, as Node gives them. */
export interface ObservedAnswer {
  method: string;
  /** The path and query the request was sent to. */
  url: string;
  requestHeaders: Record<string, string | undefined>;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/**
 * Headers that the document need not declare: those of the transport and the body's framing, the
 * security headers (set on every answer, see security-headers.ts) and CORS, which answers whatever
 * a deployment's CORS_ORIGINS allows. Anything else an answer carries must be in the document.
 */
const UNDECLARED_HEADERS = new Set([
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'vary',
  ...SECURITY_HEADERS.map(([name]) => name.toLowerCase()),
]);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  operation: OperationObject;
}

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/**
 * Checks answers against the OpenAPI document the app serves: the status must be one the
 * operation declares, the content type one declared for that status, a JSON body must match its
 * schema (objects closed: a field the document does not name is a violation too), and the headers
 * must be those declared, required ones present and every value matching its schema. An answer to
 * a request that names no operation must be one of the document's components.responses.
 */
export class ResponseValidator {
  private readonly document: OpenAPIObject;
  private readonly routes: Route[];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<object, ValidateFunction>();

  constructor(document: OpenAPIObject) {
    this.document = closeObjects(structuredClone(document));
    formats.default(this.ajv);
    this.routes = Object.entries(this.document.paths)
      .flatMap(([template, item]) =>
        METHODS.flatMap((method) => {
          const operation = item[method];
          return operation ? [routeOf(method, template, operation)] : [];
        }),
      )
      // A literal segment wins over a parameter, as in Fastify's router.
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Throws a ContractViolation naming every way the answer breaks the document. */
  check(answer: ObservedAnswer): void {
    const problems = this.problemsOf(answer);
    if (problems.length === 0) return;
    const body = answer.body.length > 500 ? `${answer.body.slice(0, 500)}…` : answer.body;
    throw new ContractViolation(`${answer.method} ${answer.url} answered ${answer.status}, which breaks /openapi.json:\n- ${problems.join('\n- ')}\nbody: ${body}`);
  }

  problemsOf(answer: ObservedAnswer): string[] {
    // As a client sends it: dot segments resolved (fetch and inject() both do so).
    const path = new URL(answer.url, 'http://localhost').pathname;
    if (isPreflight(answer)) return [];
    const documentation = path === OPENAPI_JSON_PATH || path === `/${DOCS_PATH}` || path.startsWith(`/${DOCS_PATH}/`);
    if (documentation && answer.status !== 404) return [];
    // Fastify answers HEAD from the GET route, without the body.
    const method = answer.method.toLowerCase() === 'head' ? 'get' : answer.method.toLowerCase();
    const route = documentation ? undefined : this.routes.find((each) => each.method === method && each.pattern.test(path));
    if (route === undefined) return this.unroutedProblems(answer);
    const response = route.operation.responses[String(answer.status)] ?? route.operation.responses.default;
    if (response === undefined) {
      const declared = Object.keys(route.operation.responses).join(', ');
      return [`${method.toUpperCase()} ${route.template} declares no ${answer.status} (it declares ${declared})`];
    }
    return this.responseProblems(answer, response as ResponseObject);
  }

  private unroutedProblems(answer: ObservedAnswer): string[] {
    const candidates = Object.entries(this.document.components?.responses ?? {}).filter(([, response]) =>
      statusesOf(response as ResponseObject).includes(answer.status),
    );
    if (candidates.length === 0) {
      return [`no operation is ${answer.method} ${new URL(answer.url, 'http://localhost').pathname}, and no response in components.responses has status ${answer.status}`];
    }
    const attempts = candidates.map(([name, response]) => ({ name, problems: this.responseProblems(answer, response as ResponseObject) }));
    if (attempts.some(({ problems }) => problems.length === 0)) return [];
    return attempts.flatMap(({ name, problems }) => problems.map((problem) => `as components.responses.${name}: ${problem}`));
  }

  private responseProblems(answer: ObservedAnswer, response: ResponseObject): string[] {
    return [...this.bodyProblems(answer, response), ...this.headerProblems(answer, response)];
  }

  private bodyProblems(answer: ObservedAnswer, response: ResponseObject): string[] {
    const headOnly = answer.method.toUpperCase() === 'HEAD';
    if (response.content === undefined || Object.keys(response.content).length === 0) {
      return answer.body === '' ? [] : ['the document declares no body, but the answer has one'];
    }
    const contentType = String(answer.headers['content-type'] ?? '');
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const media = Object.entries(response.content).find(([declared]) => declared.toLowerCase() === mediaType)?.[1];
    if (media === undefined) return [`content type "${contentType}" is not one the document declares (${Object.keys(response.content).join(', ')})`];
    if (headOnly || !/[/+]json$/.test(mediaType) || media.schema === undefined) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [`the body is not the JSON its content type says`];
    }
    return this.schemaProblems('body', media.schema as SchemaObject, body);
  }

  private headerProblems(answer: ObservedAnswer, response: ResponseObject): string[] {
    const declared = new Map(Object.entries(response.headers ?? {}).map(([name, header]) => [name.toLowerCase(), { name, header: header as HeaderObject }]));
    const problems: string[] = [];
    for (const [name, { name: declaredName, header }] of declared) {
      const value = answer.headers[name];
      if (value === undefined) {
        if (header.required) problems.push(`the required header ${declaredName} is missing`);
        continue;
      }
      if (header.schema !== undefined) problems.push(...this.schemaProblems(`header ${declaredName}`, header.schema as SchemaObject, headerValue(String(value), header.schema as SchemaObject)));
    }
    for (const name of Object.keys(answer.headers)) {
      if (!declared.has(name) && !UNDECLARED_HEADERS.has(name) && !name.startsWith('access-control-')) {
        problems.push(`the header ${name} is sent but not declared`);
      }
    }
    return problems;
  }

  private schemaProblems(what: string, schema: SchemaObject, value: unknown): string[] {
    let validate = this.compiled.get(schema);
    if (validate === undefined) {
      // $refs point into the document, so the schema is compiled with the document's components beside it.
      validate = this.ajv.compile({ allOf: [schema], components: this.document.components });
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${what}${error.instancePath} ${error.message ?? 'is invalid'}${error.params ? ` (${JSON.stringify(error.params)})` : ''}`);
  }
}

function routeOf(method: string, template: string, operation: OperationObject): Route {
  const segments = template.split('/');
  // A parameter may share its segment with literal text (`qr.{format}`); it never spans a slash.
  const pattern = segments.map((segment) => segment.split(/(\{[^}]+\})/).map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')).join('/');
  return { method, template, pattern: new RegExp(`^${pattern}$`), literalSegments: segments.filter((segment) => !segment.startsWith('{')).length, operation };
}

/** A CORS preflight is answered by the CORS plugin for whatever CORS_ORIGINS allows, not by an operation. */
function isPreflight(answer: ObservedAnswer): boolean {
  return answer.method.toUpperCase() === 'OPTIONS' && answer.requestHeaders.origin !== undefined && answer.requestHeaders['access-control-request-method'] !== undefined;
}

/** The statuses a reusable error response stands for, read from its body's statusCode. */
function statusesOf(response: ResponseObject): number[] {
  const schema = response.content?.['application/json']?.schema as SchemaObject | undefined;
  const statusCode = schema?.properties?.statusCode as SchemaObject | undefined;
  return (statusCode?.enum ?? []) as number[];
}

/** Header values are text; one declared as a number is checked as the number it spells. */
function headerValue(value: string, schema: SchemaObject): unknown {
  const numeric = schema.type === 'integer' || schema.type === 'number';
  return numeric && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/**
 * JSON Schema leaves an object open to fields it does not name; the answers are meant to carry
 * exactly what the document says (the mappers whitelist), so every object schema that names its
 * properties and says nothing of others is closed. The document composes schemas by $ref, not by
 * allOf of objects, which closing each part would break.
 */
function closeObjects(document: OpenAPIObject): OpenAPIObject {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    if (typeof schema.properties === 'object' && schema.properties !== null && !('additionalProperties' in schema)) schema.additionalProperties = false;
    Object.values(schema).forEach(visit);
  };
  visit(document.components?.schemas);
  visit(document.components?.responses);
  for (const item of Object.values(document.paths)) for (const method of METHODS) visit(item[method]?.responses);
  return document;
}
