import type { OpenAPIObject } from '@nestjs/swagger';
import { OPENAPI_JSON_PATH } from '../../src/openapi/openapi.js';
import { eventBody } from './fixtures.js';
import { TEST_ORGANIZER_API_KEY } from './organizer-key.js';
import { ContractViolation, ResponseValidator } from './response-validator.js';

/**
 * A plain HTTP client for tests and scripts that talk to separately started app processes (the
 * built app, several instances). Every request is bounded in time; a failure to get an answer
 * (connection refused or reset, timeout) is reported in `error` rather than thrown. An answer that
 * breaks the OpenAPI document the app serves throws a ContractViolation.
 */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  ms: number;
  error?: string;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** Headers that an event write needs: the organiser key that apps started by tests and scripts own. */
export function organiserHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${TEST_ORGANIZER_API_KEY}` };
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const startedAt = performance.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    (await contractOf(baseUrl)).check({
      method,
      url: path,
      requestHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: text,
    });
    const parsed: unknown = text === '' ? {} : JSON.parse(text);
    return { status: response.status, body: parsed as Record<string, unknown>, headers: response.headers, ms: performance.now() - startedAt };
  } catch (error) {
    if (error instanceof ContractViolation) throw error;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, body: {}, headers: new Headers(), ms: performance.now() - startedAt, error: cause ?? (error as Error).name };
  }
}

const contracts = new Map<string, Promise<ResponseValidator>>();

/** The document of the app at baseUrl, read once it has answered (so it is up). */
function contractOf(baseUrl: string): Promise<ResponseValidator> {
  let contract = contracts.get(baseUrl);
  if (contract === undefined) {
    contract = fetch(`${baseUrl}${OPENAPI_JSON_PATH}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
      .then((response) => response.json() as Promise<OpenAPIObject>)
      .then((document) => new ResponseValidator(document))
      .catch((error: unknown) => {
        contracts.delete(baseUrl);
        throw error;
      });
    contracts.set(baseUrl, contract);
  }
  return contract;
}

/** Creates an event through the API, as an organiser would; the only place scripts do so. */
export async function createEventVia(baseUrl: string, overrides: Record<string, unknown> = {}): Promise<number> {
  const answer = await call(baseUrl, 'POST', '/events', eventBody(overrides), organiserHeaders());
  if (answer.status !== 201) throw new Error(`Could not create event: ${answer.status} ${answer.error ?? JSON.stringify(answer.body)}`);
  return answer.body.id as number;
}

/**
 * An active webhook of the test organiser, to a port nothing answers on: a change is written to the
 * outbox only while its organiser has one, so a test that reads the outbox starts with this. The
 * instance needs WEBHOOK_ALLOW_PRIVATE_NETWORKS=true.
 */
export async function listenAsOrganiser(baseUrl: string): Promise<void> {
  const answer = await call(baseUrl, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/unanswered' }, organiserHeaders());
  if (answer.status !== 201) throw new Error(`Could not create a webhook: ${answer.status} ${answer.error ?? JSON.stringify(answer.body)}`);
}
