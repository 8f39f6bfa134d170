import fc from 'fast-check';
import type { Response } from 'supertest';
import { ErrorCode } from '../src/common/error-code.js';
import { createEvent, eventBody } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Property-based: for every endpoint, generated request bodies, query strings, path ids and
 * headers — valid, near-valid and hostile — never get a 5xx, every refusal has the error shape,
 * and a refused request changes nothing in the database.
 */
const RUNS = Number(process.env.FC_RUNS ?? 40);
const ERROR_CODES = new Set<string>(Object.values(ErrorCode));
let testApp: TestApp;
let eventId: number;
let holdReference: string;
let bookingReference: string;

beforeAll(async () => {
  testApp = await createTestApp();
  const event = await createEvent(testApp, {
    ticket_categories: [
      { name: 'General', price: 50, seats_limit: 1000 },
      { name: 'Tiny', price: 5, seats_limit: 1, max_per_booking: 1 },
    ],
  });
  eventId = event.id;
  const hold = await testApp.http().post(`/events/${eventId}/holds`).send({ ticket_category: 'General', quantity: 1 });
  const booking = await testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'General', quantity: 1 });
  holdReference = hold.body.reference;
  bookingReference = booking.body.reference;
});

afterAll(async () => {
  await testApp.close();
});

// ---- generators ----------------------------------------------------------------------------

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
const hugeNumbers = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), Number.MAX_SAFE_INTEGER, 1e-320, -0, 0.1 + 0.2);
const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
const anyKey = fc.oneof(fc.constantFrom(...PROTO_KEYS, 'ticket_category', 'quantity', 'name', 'seats_limit', 'limit', 'cursor'), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(fc.string({ maxLength: 30 }), unicode, fc.integer(), fc.double(), hugeNumbers, fc.boolean(), fc.constant(null));
/** Wrong types, huge numbers, unicode, nesting, prototype-pollution keys. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(anyKey, scalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map((depth) => nest(depth)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((text) => text.repeat(2000)) },
);

function nest(depth: number): unknown {
  let value: unknown = 'deep';
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? { a: value } : [value];
  return value;
}

/** Takes a valid object and, field by field, keeps, drops or replaces it; may add unknown fields. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    Object.entries(valid).map(([key, value]) => [key, fc.oneof({ weight: 3, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: hostile })]),
  );
  return fc.tuple(fc.record(fields), fc.dictionary(anyKey, hostile, { maxKeys: 2 }), fc.boolean()).map(([body, extra, addExtra]) => {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) if (value !== undefined) result[key] = value;
    // defineProperty, so a "__proto__" key is an own property and reaches the wire.
    if (addExtra) for (const [key, value] of Object.entries(extra)) Object.defineProperty(result, key, { value, enumerable: true });
    return result;
  });
}

/** Raw bodies that are not a JSON object at all. */
const rawBody = fc.oneof(
  fc.constantFrom('', '{', 'null', '[]', '"text"', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '\u0000', '{"quantity":1e999999}'),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 1, max: 5_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.string({ maxLength: 60 }),
);

const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((code) => code < 0x7f || code > 0x9f).map((code) => String.fromCharCode(code)), maxLength: 300 });
const headers = fc.record(
  {
    'Idempotency-Key': fc.oneof(headerText, fc.uuid()),
    'X-Request-Id': headerText,
    'Content-Type': fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/JSON'),
    Accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'),
  },
  { requiredKeys: [] },
);

const pathId = fc.oneof(
  fc.constantFrom('1', '0', '-1', '1e3', '0x10', '01', '9007199254740993', '99999999999999999999', '1.5', ' 1', '%00', '..', 'null'),
  fc.integer().map(String),
  fc.string({ maxLength: 20 }),
  unicode,
);
const referenceArb = () => fc.oneof(fc.constant(holdReference), fc.constant(bookingReference), fc.constant(holdReference.toLowerCase()), pathId);
const eventIdArb = () => fc.oneof({ weight: 2, arbitrary: fc.constant(String(eventId)) }, { weight: 3, arbitrary: pathId });
const bookingBody = () => mutated({ ticket_category: 'General', quantity: 1, customer_name: 'Ada', customer_email: 'ada@example.com' });
const body = (valid: () => fc.Arbitrary<Record<string, unknown>>) => fc.oneof({ weight: 3, arbitrary: valid().map((json) => ({ json })) }, { weight: 1, arbitrary: rawBody.map((raw) => ({ raw })) });

// ---- the properties ------------------------------------------------------------------------

interface Attempt {
  method: 'get' | 'post' | 'delete';
  path: string;
  headers: Record<string, string>;
  body?: { json?: unknown; raw?: string };
}

async function fingerprint(): Promise<string> {
  const rows: unknown[] = await testApp.dataSource.query(
    `SELECT (SELECT COUNT(*) FROM events) AS events,
            (SELECT COUNT(*) FROM ticket_categories) AS categories,
            (SELECT SUM(seats_sold) FROM ticket_categories) AS sold,
            (SELECT SUM(seats_held) FROM ticket_categories) AS held,
            (SELECT COUNT(*) FROM bookings) AS bookings,
            (SELECT COUNT(*) FROM bookings WHERE status = 'cancelled') AS cancelled,
            (SELECT COUNT(*) FROM holds) AS holds,
            (SELECT COUNT(*) FROM holds WHERE status = 'active') AS active_holds,
            (SELECT COUNT(*) FROM idempotency_keys) AS idempotency_keys`,
  );
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value));
}

async function send(attempt: Attempt): Promise<Response> {
  let request = testApp.http()[attempt.method](attempt.path);
  for (const [name, value] of Object.entries(attempt.headers)) request = request.set(name, value);
  if (attempt.body === undefined) return request;
  // Serialised here so that a JSON body goes out as-is under whatever Content-Type was generated.
  const payload = attempt.body.raw ?? JSON.stringify(attempt.body.json);
  return request.set('Content-Type', attempt.headers['Content-Type'] ?? 'application/json').send(payload);
}

/** The contract for any request whatsoever. */
async function honoursContract(attempt: Attempt): Promise<void> {
  const before = await fingerprint();
  const response = await send(attempt);
  const where = `${attempt.method.toUpperCase()} ${attempt.path} → ${response.status} ${response.text.slice(0, 200)}`;
  if (response.status >= 500) throw new Error(`5xx: ${where}`);
  if (response.status < 400) return;
  const shape = response.body as Record<string, unknown>;
  const keys = Object.keys(shape).sort().join(',');
  const shaped =
    keys === 'code,error,message,statusCode' &&
    shape.statusCode === response.status &&
    typeof shape.error === 'string' &&
    ERROR_CODES.has(shape.code as string) &&
    (typeof shape.message === 'string' || (Array.isArray(shape.message) && shape.message.every((line) => typeof line === 'string')));
  if (!shaped) throw new Error(`not the error shape: ${where}`);
  if ((await fingerprint()) !== before) throw new Error(`a refused request changed the database: ${where}`);
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`Object.prototype was polluted: ${where}`);
}

const property = (attempt: fc.Arbitrary<Attempt>) => fc.assert(fc.asyncProperty(attempt, honoursContract), { numRuns: RUNS });

describe('bad input, generated, on every endpoint', () => {
  it('POST /events', () =>
    property(fc.record({ method: fc.constant('post' as const), path: fc.constant('/events'), headers, body: body(() => mutated(eventBody())) })));

  it('POST /events: each ticket category mutated', () =>
    property(
      fc.record({
        method: fc.constant('post' as const),
        path: fc.constant('/events'),
        headers: fc.constant({}),
        body: fc
          .array(mutated({ name: 'Floor', price: 10.5, seats_limit: 10, seats_sold: 0, max_per_booking: 2 }), { minLength: 0, maxLength: 3 })
          .map((categories) => ({ json: eventBody({ ticket_categories: categories }) })),
      }),
    ));

  it('GET /events with generated query strings', () =>
    property(
      fc.record({
        method: fc.constant('get' as const),
        path: fc
          .array(fc.tuple(anyKey, fc.oneof(fc.string({ maxLength: 30 }), unicode, pathId)), { maxLength: 4 })
          .map((pairs) => `/events?${new URLSearchParams(pairs).toString()}`),
        headers,
      }),
    ));

  it('GET /events/:id', () => property(fc.record({ method: fc.constant('get' as const), path: pathId.map((id) => `/events/${encodeURIComponent(id)}`), headers })));

  it('POST /events/:id/book', () =>
    property(fc.record({ method: fc.constant('post' as const), path: eventIdArb().map((id) => `/events/${encodeURIComponent(id)}/book`), headers, body: body(bookingBody) })));

  it('POST /events/:id/holds', () =>
    property(fc.record({ method: fc.constant('post' as const), path: eventIdArb().map((id) => `/events/${encodeURIComponent(id)}/holds`), headers, body: body(bookingBody) })));

  it('POST /holds/:reference/confirm', () =>
    property(fc.record({ method: fc.constant('post' as const), path: referenceArb().map((ref) => `/holds/${encodeURIComponent(ref)}/confirm`), headers, body: body(() => mutated({})) })));

  it('DELETE /holds/:reference', () =>
    property(fc.record({ method: fc.constant('delete' as const), path: referenceArb().map((ref) => `/holds/${encodeURIComponent(ref)}`), headers })));

  it('GET /bookings/:reference', () =>
    property(fc.record({ method: fc.constant('get' as const), path: referenceArb().map((ref) => `/bookings/${encodeURIComponent(ref)}`), headers })));

  it('POST /bookings/:reference/cancel', () =>
    property(fc.record({ method: fc.constant('post' as const), path: referenceArb().map((ref) => `/bookings/${encodeURIComponent(ref)}/cancel`), headers, body: body(() => mutated({})) })));

  it('operations endpoints and unknown routes', () =>
    property(
      fc.record({
        method: fc.constantFrom('get' as const, 'post' as const, 'delete' as const),
        path: fc.tuple(fc.constantFrom('/health/live', '/health/ready', '/metrics', '/openapi.json', '/nowhere', '/events/1/nothing'), fc.string({ maxLength: 20 })).map(([path, query]) => `${path}?q=${encodeURIComponent(query)}`),
        headers,
      }),
    ));
});
