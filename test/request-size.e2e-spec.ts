import type { Response } from 'supertest';
import { SEAT_REQUEST_BODY_LIMIT, SEAT_REQUEST_MEMBERS } from '../src/bookings/dto/create-booking.dto.js';
import { MAX_BODY_MEMBERS } from '../src/common/body-shape.js';
import { MAX_LISTED_PROBLEMS } from '../src/common/domain-error.js';
import { EVENT_BODY_LIMIT } from '../src/events/dto/create-event.dto.js';
import { DEFAULT_BODY_LIMIT_BYTES } from '../src/http/body-limit.js';
import { createEvent, eventBody, inDays, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** What one request may cost the event loop at most, whatever its shape (issue 12). */
const EVENT_LOOP_BUDGET_MS = 50;

let testApp: TestApp;
let eventId: number;

beforeAll(async () => {
  testApp = await createTestApp();
  eventId = (await createEvent(testApp, { ticket_categories: [{ name: LONGEST_CATEGORY, price: 1, seats_limit: 1000 }] })).id;
});

afterAll(async () => {
  await testApp.close();
});

/** Four-byte characters: the most bytes a field of a given length can take. */
const wide = (length: number) => '😀'.repeat(length);
const LONGEST_CATEGORY = wide(100);
const LONGEST_EMAIL = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;

interface Route {
  method: 'post' | 'patch';
  path: () => string;
  limit: number;
  /** The route's bound on keys and array items (MAX_BODY_MEMBERS unless its body declares its own). */
  members: number;
  valid: () => Record<string, unknown>;
}

const seatRequest = () => ({ ticket_category: 'General', quantity: 1 });
const ROUTES: Record<string, Route> = {
  'POST /events/:id/book': { method: 'post', path: () => `/events/${eventId}/book`, limit: SEAT_REQUEST_BODY_LIMIT, members: SEAT_REQUEST_MEMBERS, valid: seatRequest },
  'POST /events/:id/holds': { method: 'post', path: () => `/events/${eventId}/holds`, limit: SEAT_REQUEST_BODY_LIMIT, members: SEAT_REQUEST_MEMBERS, valid: seatRequest },
  'POST /events': { method: 'post', path: () => '/events', limit: EVENT_BODY_LIMIT, members: MAX_BODY_MEMBERS, valid: () => eventBody() },
  'PATCH /events/:id': { method: 'patch', path: () => `/events/${eventId}`, limit: EVENT_BODY_LIMIT, members: MAX_BODY_MEMBERS, valid: () => ({ venue: 'Hall' }) },
};

function send(route: Route, payload: string): Promise<Response> {
  const request = testApp.http()[route.method](route.path());
  return request
    .set('Authorization', organizerAuth)
    .set('Idempotency-Key', crypto.randomUUID())
    .set('Content-Type', 'application/json')
    .send(payload);
}

/** The largest n from 0 to max for which ok(n) holds (ok is monotone). */
function largest(max: number, ok: (n: number) => boolean): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (ok(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The JSON of build(count, padding): as many members as fit within `bytes` (at most maxCount), then padded to fill it. */
function filledTo(bytes: number, maxCount: number, build: (count: number, padding: string) => unknown): string {
  const size = (count: number, padding: number) => JSON.stringify(build(count, 'x'.repeat(padding))).length;
  const count = largest(maxCount, (n) => size(n, 0) <= bytes);
  const padding = largest(bytes, (n) => size(count, n) <= bytes);
  return JSON.stringify(build(count, 'x'.repeat(padding)));
}

/** Just under the route's member bound, leaving room for the valid fields each body starts from. */
const underTheBound = (route: Route) => route.members - 8;
const keys = (count: number, name: (i: number) => string, value: unknown) => Object.fromEntries(Array.from({ length: count }, (_, i) => [name(i), value]));
const nest = (depth: number): unknown => (depth === 0 ? 'deep' : { a: nest(depth - 1) });

/**
 * Bodies built to be as costly as the limits allow: validation work grows with the number of fields
 * and their failures rather than with bytes, so each shape puts as many members into the route's
 * limit as fit, just under (or over) the member bound, and pads the rest.
 */
const WORST_BODIES: Record<string, (route: Route) => string> = {
  'unknown keys just under the member bound': (route) =>
    filledTo(route.limit, underTheBound(route), (count, padding) => ({ ...route.valid(), ...keys(count, (i) => `k${i}`, 0), filler: padding })),
  'array items over the member bound': (route) => filledTo(route.limit, 100_000, (count) => ({ ...route.valid(), list: Array.from({ length: count }, () => 0) })),
  'huge arrays in validated fields': (route) =>
    filledTo(route.limit, underTheBound(route) / 2, (count, padding) => ({
      ...route.valid(),
      ticket_categories: Array.from({ length: count }, () => 1),
      quantity: Array.from({ length: count }, () => padding),
    })),
  'categories failing every rule': (route) =>
    filledTo(route.limit, underTheBound(route) / 6, (count, padding) => ({
      ...route.valid(),
      ticket_categories: Array.from({ length: count }, (_, i) => ({ name: i, price: 'x', seats_limit: -1, seats_sold: [], max_per_booking: padding })),
    })),
  'order items failing every rule': (route) =>
    filledTo(route.limit, underTheBound(route) / 5, (count, padding) => ({
      customer_name: padding,
      items: Array.from({ length: count }, (_, i) => ({ ticket_category: i, quantity: 'x', attendee_names: [i, []] })),
    })),
  'deep nesting within the depth bound': (route) =>
    filledTo(route.limit, Math.floor(underTheBound(route) / 31), (count, padding) => ({ ...route.valid(), ...keys(count, (i) => `n${i}`, nest(30)), filler: padding })),
  'long strings in every field': (route) =>
    filledTo(route.limit, 1, (_count, text) => ({ name: text, venue: text, date: text, details: text, ticket_category: text, customer_name: text, customer_email: `${text}@example.com` })),
  'lone surrogates in every field': (route) =>
    filledTo(route.limit, underTheBound(route), (count, padding) => ({ ...route.valid(), ...keys(count, (i) => `s${i}`, '\ud800'), filler: padding })),
};

/**
 * The event-loop time the app (in this process) spent on a request: the main thread's CPU time while
 * it was handled, which bounds the longest block from above. Not wall-clock delay: on a shared
 * machine that measures other processes too (a 20 ms busy loop used 3 to 14 ms of CPU at a load of
 * 7 on 2 cores). The least of three runs, since a run may also collect garbage the test made.
 */
async function eventLoopCost(request: () => Promise<Response>): Promise<{ response: Response; cpuMs: number }> {
  const runs: { response: Response; cpuMs: number }[] = [];
  for (let run = 0; run < 3; run++) {
    const before = process.threadCpuUsage();
    const response = await request();
    const used = process.threadCpuUsage(before);
    runs.push({ response, cpuMs: (used.user + used.system) / 1000 });
  }
  return runs.reduce((least, run) => (run.cpuMs < least.cpuMs ? run : least));
}

describe('body limits, declared per route', () => {
  it('takes the largest honest seat requests and refuses one over 64 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const longest = JSON.stringify({ ticket_category: LONGEST_CATEGORY, quantity: 1, customer_name: wide(200), customer_email: LONGEST_EMAIL }, null, 2);
    const everyTicketNamed = JSON.stringify({ ticket_category: LONGEST_CATEGORY, quantity: 1000, attendee_names: Array.from({ length: 1000 }, (_, i) => `Attendee number ${i} of a school trip`) });
    const tooLarge = JSON.stringify({ ticket_category: LONGEST_CATEGORY, quantity: 1, customer_name: 'x'.repeat(SEAT_REQUEST_BODY_LIMIT) });

    const booked = await send(ROUTES['POST /events/:id/book'], longest);
    const held = await send(ROUTES['POST /events/:id/holds'], longest);
    const roomy = await createEvent(testApp, { ticket_categories: [{ name: LONGEST_CATEGORY, price: 1, seats_limit: 1000 }] });
    const named = await send({ ...ROUTES['POST /events/:id/holds'], path: () => `/events/${roomy.id}/holds` }, everyTicketNamed);
    const refused = await send(ROUTES['POST /events/:id/book'], tooLarge);

    expect([booked.status, held.status, named.status]).toEqual([201, 201, 201]);
    expect(refused.status).toBe(413);
    expect(refused.body).toEqual({ statusCode: 413, error: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the 64 KiB this endpoint accepts.' });
  });

  it('takes the largest honest event (50 categories, 10,000 characters of details) and refuses one over 128 KiB', async () => {
    const categories = Array.from({ length: 50 }, (_, i) => ({ name: `${String(i).padStart(2, '0')}${wide(98)}`, price: 999_999.99, seats_limit: 1_000_000, seats_sold: 0, max_per_booking: 1000 }));
    const honest = eventBody({ name: wide(200), venue: wide(200), details: wide(10_000), date: inDays(30), ticket_categories: categories });
    const tooLarge = eventBody({ details: 'x'.repeat(EVENT_BODY_LIMIT) });

    const created = await send(ROUTES['POST /events'], JSON.stringify(honest, null, 2));
    const patched = await send({ ...ROUTES['PATCH /events/:id'], path: () => `/events/${created.body.id}` }, JSON.stringify({ details: wide(10_000), ticket_categories: categories.map(({ name }) => ({ name, price: 1 })) }, null, 2));
    const refused = await send(ROUTES['POST /events'], JSON.stringify(tooLarge));

    expect(created.status).toBe(201);
    expect(created.body.ticket_categories).toHaveLength(50);
    expect(patched.status).toBe(200);
    expect(refused.status).toBe(413);
    expect(refused.body.message).toBe('The request body is larger than the 128 KiB this endpoint accepts.');
  });

  it('refuses a body over 1 KiB on the routes that read none', async () => {
    const response = await testApp
      .http()
      .post('/holds/ABCDEFGHJKMN/confirm')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES) }));

    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('the shape of a body, checked before validation', () => {
  it.each(['POST /events/:id/book', 'POST /events'])('refuses more keys and array items than %s takes with one message, changing nothing', async (routeName) => {
    const route = ROUTES[routeName];
    const body = WORST_BODIES['array items over the member bound'](route);

    const response = await send(route, body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: [`the request body must not hold more than ${route.members} fields and array items in all`] });
    const [{ n }] = await testApp.dataSource.query('SELECT COUNT(*) AS n FROM bookings WHERE customer_name IS NULL');
    expect(Number(n)).toBe(0);
  });

  it(`lists at most ${MAX_LISTED_PROBLEMS} problems, then how many more there are`, async () => {
    const body = { ...seatRequest(), ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`unknown${i}`, 1])) };

    const response = await send(ROUTES['POST /events/:id/book'], JSON.stringify(body));

    expect(response.status).toBe(400);
    expect(response.body.message).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(response.body.message[0]).toBe('property unknown0 should not exist');
    expect(response.body.message.at(-1)).toBe('…and 10 more');
  });
});

describe('event-loop cost of the worst bodies', () => {
  beforeAll(async () => {
    // The first request of each route loads and compiles code that no later request pays for.
    for (const route of Object.values(ROUTES)) await send(route, JSON.stringify(route.valid()));
  });

  const cases = Object.keys(ROUTES).flatMap((route) => Object.keys(WORST_BODIES).map((shape) => [route, shape] as const));

  it.each(cases)(`%s with %s is refused within ${EVENT_LOOP_BUDGET_MS} ms of event-loop time`, async (routeName, shape) => {
    const route = ROUTES[routeName];
    const payload = WORST_BODIES[shape](route);

    const { response, cpuMs } = await eventLoopCost(() => send(route, payload));

    expect(payload.length).toBeGreaterThan(route.limit * 0.9);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.message.length).toBeLessThanOrEqual(MAX_LISTED_PROBLEMS + 1);
    expect(cpuMs).toBeLessThan(EVENT_LOOP_BUDGET_MS);
  });
});
