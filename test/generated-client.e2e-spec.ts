import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIObject } from '@nestjs/swagger';
import { TEST_ORGANIZER_API_KEY } from './support/organizer-key.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const CLIENT = join(ROOT, 'test', 'client');
const GENERATED = join(CLIENT, 'generated');

/** What the spec uses of test/client/readme-examples.ts, which compiles only once its types are generated. */
interface ReadmeExamples {
  ticketingClient(baseUrl: string, fetch: typeof globalThis.fetch): unknown;
  runReadmeExamples(client: unknown, organiserKey: string): Promise<{ step: string; status: number; code?: string }[]>;
}

let testApp: TestApp;
let baseUrl: string;

beforeAll(async () => {
  testApp = await createTestApp();
  baseUrl = `http://127.0.0.1:${(testApp.app.getHttpServer().address() as { port: number }).port}`;
});

afterAll(async () => {
  await testApp.close();
});

/** Node's fetch, with every answer checked against the served document as the injected ones are. */
async function checkedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const response = await fetch(request);
  const url = new URL(request.url);
  testApp.contract.check({
    method: request.method,
    url: `${url.pathname}${url.search}`,
    requestHeaders: Object.fromEntries(request.headers),
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.clone().text(),
  });
  return response;
}

/** Generates types from `document` with openapi-typescript's command line and defaults, as a user would; then type-checks the client. */
async function compileClientAgainst(document: OpenAPIObject): Promise<string> {
  mkdirSync(GENERATED, { recursive: true });
  const file = join(GENERATED, 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  await run(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), file, '--output', join(GENERATED, 'openapi.d.ts')]);
  return run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(CLIENT, 'tsconfig.json')]).then(
    () => '',
    (error: Error & { stdout?: string }) => error.stdout || error.message,
  );
}

describe('a client generated from /openapi.json (openapi-typescript, openapi-fetch)', () => {
  it('type-checks the README examples against types generated from the served document, and not against a drifted one', async () => {
    const served = (await testApp.http().get('/openapi.json').expect(200)).body as OpenAPIObject;
    const drifted = structuredClone(served);
    delete drifted.paths['/holds/{reference}/confirm'].post!.responses['400'];
    expect(await compileClientAgainst(drifted)).toMatch(/readme-examples\.ts\(\d+,\d+\): error TS2345: Argument of type '"VALIDATION_FAILED"'/);
    expect(await compileClientAgainst(served)).toBe('');
  }, 60_000);

  it('runs the README examples, each error path read as its typed code', async () => {
    const examples: string = './client/readme-examples.js';
    const { runReadmeExamples, ticketingClient } = (await import(examples)) as ReadmeExamples;
    const outcomes = await runReadmeExamples(ticketingClient(baseUrl, checkedFetch), TEST_ORGANIZER_API_KEY);
    expect(outcomes).toEqual([
      { step: 'create', status: 201 },
      { step: 'list', status: 200 },
      { step: 'get event', status: 200 },
      { step: 'book', status: 201 },
      { step: 'hold', status: 201 },
      { step: 'confirm', status: 201 },
      { step: 'confirm again', status: 200 },
      { step: 'look up', status: 200 },
      { step: 'cancel', status: 200 },
      { step: 'more seats than are left', status: 409, code: 'INSUFFICIENT_SEATS' },
      { step: 'a date in the past', status: 400, code: 'VALIDATION_FAILED' },
      { step: 'no organiser key', status: 401, code: 'UNAUTHORIZED' },
      { step: 'unknown event', status: 404, code: 'EVENT_NOT_FOUND' },
      { step: 'unknown category', status: 422, code: 'TICKET_CATEGORY_NOT_FOUND' },
      { step: 'sold out', status: 409, code: 'SOLD_OUT' },
      { step: 'unknown hold', status: 404, code: 'HOLD_NOT_FOUND' },
      { step: 'an invalid Idempotency-Key', status: 400, code: 'VALIDATION_FAILED' },
      { step: 'releasing a confirmed hold', status: 409, code: 'HOLD_ALREADY_CONFIRMED' },
      { step: 'cancelling an unknown booking', status: 404, code: 'BOOKING_NOT_FOUND' },
    ]);
  });
});
