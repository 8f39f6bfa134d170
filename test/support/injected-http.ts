import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { STATUS_CODES } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import type { Response } from 'supertest';
import type { ResponseValidator } from './response-validator.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD';

/**
 * The part of supertest's API that the specs use (`get(path).set(…).send(…).expect(…)`, awaited
 * for `status`, `body`, `headers`, `text`), answered in-process by Fastify's inject(): every hook,
 * parser, guard and filter runs as for a real request, without a socket, a port or Node's HTTP
 * parser. Tests of what happens on the wire (raw bytes, timeouts, shutdown) need a real server.
 */
export interface InjectedHttp {
  get(path: string): InjectedRequest;
  post(path: string): InjectedRequest;
  put(path: string): InjectedRequest;
  patch(path: string): InjectedRequest;
  delete(path: string): InjectedRequest;
  options(path: string): InjectedRequest;
  head(path: string): InjectedRequest;
}

export function injectedHttp(app: NestFastifyApplication, contract: ResponseValidator): InjectedHttp {
  const request = (method: Method) => (path: string) => new InjectedRequest(app, contract, method, path);
  return {
    get: request('GET'),
    post: request('POST'),
    put: request('PUT'),
    patch: request('PATCH'),
    delete: request('DELETE'),
    options: request('OPTIONS'),
    head: request('HEAD'),
  };
}

interface Expectation {
  status: number;
  body?: unknown;
}

/** A request built up as supertest's is, sent once when first awaited. */
export class InjectedRequest implements Promise<Response> {
  readonly [Symbol.toStringTag] = 'InjectedRequest';
  private readonly headers: Record<string, string> = {};
  private payload: string | undefined;
  private readonly expectations: Expectation[] = [];
  private answer: Promise<Response> | undefined;

  constructor(
    private readonly app: NestFastifyApplication,
    private readonly contract: ResponseValidator,
    private readonly method: Method,
    private readonly url: string,
  ) {}

  /** The value arrives as over the wire, where the parser drops the whitespace around it. */
  set(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value.replace(/^[ \t]+|[ \t]+$/g, '');
    return this;
  }

  /** As supertest does: an object goes as JSON, a string as it is and, unless typed, as a form. */
  send(body: unknown): this {
    const text = typeof body === 'string';
    this.payload = text ? body : JSON.stringify(body);
    this.headers['content-type'] ??= text ? 'application/x-www-form-urlencoded' : 'application/json';
    return this;
  }

  /** Rejects the request's promise unless the answer has this status (and, if given, this body). */
  expect(status: number, body?: unknown): this {
    this.expectations.push({ status, body });
    return this;
  }

  then<T = Response, E = never>(onAnswer?: ((response: Response) => T | PromiseLike<T>) | null, onError?: ((reason: unknown) => E | PromiseLike<E>) | null): Promise<T | E> {
    this.answer ??= this.run();
    return this.answer.then(onAnswer, onError);
  }

  catch<E = never>(onError?: ((reason: unknown) => E | PromiseLike<E>) | null): Promise<Response | E> {
    return this.then(undefined, onError);
  }

  finally(onSettled?: (() => void) | null): Promise<Response> {
    return this.then().finally(onSettled);
  }

  private async run(): Promise<Response> {
    const answer = await this.app.inject({ method: this.method, url: this.url, headers: this.headers, payload: this.payload });
    this.contract.check({ method: this.method, url: this.url, requestHeaders: this.headers, status: answer.statusCode, headers: answer.headers, body: answer.body });
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, Array.isArray(value) ? value : String(value)]));
    const type = String(headers['content-type'] ?? '');
    const json = /[/+]json\b/.test(type);
    // As supertest does: JSON parsed, images as their bytes, other text in `text` only.
    const body = json && answer.body !== '' ? JSON.parse(answer.body) : /^image\/(?!svg)/.test(type) ? answer.rawPayload : {};
    const response = { status: answer.statusCode, body, headers, text: answer.body };
    for (const expected of this.expectations) check(this.method, this.url, response, expected);
    // The fields above are all the specs read of supertest's Response.
    return response as unknown as Response;
  }
}

function check(method: Method, url: string, response: { status: number; body: unknown }, expected: Expectation): void {
  if (response.status !== expected.status) {
    throw new Error(`${method} ${url}: expected ${expected.status} "${STATUS_CODES[expected.status]}", got ${response.status} "${STATUS_CODES[response.status]}": ${JSON.stringify(response.body)}`);
  }
  if (expected.body !== undefined && !isDeepStrictEqual(response.body, expected.body)) {
    throw new Error(`${method} ${url}: expected body ${JSON.stringify(expected.body)}, got ${JSON.stringify(response.body)}`);
  }
}
