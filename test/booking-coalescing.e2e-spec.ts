import { randomUUID } from 'node:crypto';
import { createEvent, lifecycleCounters } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Bursts on one category: with coalescing on, requests that queue behind a transaction share the next one. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ BOOKING_COALESCING: 'on' });
});

afterAll(async () => {
  await testApp.close();
});

function book(eventId: number, quantity: number, extra: Record<string, unknown> = {}, key?: string) {
  const request = testApp.http().post(`/events/${eventId}/book`);
  if (key) void request.set('Idempotency-Key', key);
  return request.send({ ticket_category: 'Hot', quantity, ...extra });
}

async function hotEvent(seats: number) {
  return createEvent(testApp, { ticket_categories: [{ name: 'Hot', price: 12.5, seats_limit: seats }] });
}

describe('POST /events/:id/book with coalescing on', () => {
  it('gives each of 60 simultaneous buyers their own booking row, reference and price, or their own refusal', async () => {
    const event = await hotEvent(100);
    const quantities = Array.from({ length: 60 }, (_, i) => (i % 4) + 1);

    const responses = await Promise.all(quantities.map((quantity, i) => book(event.id, quantity, { customer_name: `Buyer ${i}` })));

    expect(responses.filter((response) => response.status !== 201 && response.status !== 409)).toEqual([]);
    const created = responses.map((response, i) => ({ response, quantity: quantities[i], name: `Buyer ${i}` })).filter(({ response }) => response.status === 201);
    for (const { response, quantity, name } of created) {
      expect(response.body).toMatchObject({ quantity, customer_name: name, unit_price: 12.5, total_price: 12.5 * quantity, ticket_category: 'Hot' });
    }
    expect(new Set(created.map(({ response }) => response.body.reference)).size).toBe(created.length);
    expect(new Set(created.map(({ response }) => response.body.id)).size).toBe(created.length);
    const refusals = responses.filter((response) => response.status === 409).map((response) => response.body.code);
    expect(refusals.every((code) => code === 'SOLD_OUT' || code === 'INSUFFICIENT_SEATS')).toBe(true);

    const sold = created.reduce((sum, { quantity }) => sum + quantity, 0);
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Hot')).toEqual({
      seatsLimit: 100,
      seatsSold: sold,
      seatsHeld: 0,
      activeHeldQuantity: 0,
      confirmedBookedQuantity: sold,
    });
    expect(sold).toBeGreaterThan(96);
    // Each answer is the stored booking: looked up by its reference, it has the same id and quantity.
    const { response: sample, quantity } = created[created.length - 1];
    const stored = await testApp.http().get(`/bookings/${sample.body.reference}`);
    expect(stored.body).toMatchObject({ id: sample.body.id, quantity });
  });

  it('refuses the request that does not fit with INSUFFICIENT_SEATS while the smaller ones around it succeed', async () => {
    // 6 + 6 + 4 × 1 = 16 asked for 10 seats: in any arrival order exactly one 6 is refused.
    const event = await hotEvent(10);
    const quantities = [1, 6, 1, 6, 1, 1];

    const responses = await Promise.all(quantities.map((quantity) => book(event.id, quantity)));

    const singles = responses.filter((_, i) => quantities[i] === 1);
    const sixes = responses.filter((_, i) => quantities[i] === 6);
    expect(singles.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    expect(sixes.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(sixes.find((response) => response.status === 409)?.body.code).toBe('INSUFFICIENT_SEATS');
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Hot')).toMatchObject({ seatsSold: 10, confirmedBookedQuantity: 10 });
  });

  it('keeps Idempotency-Key replays exact for a burst: each key books once and replays its own booking', async () => {
    const event = await hotEvent(50);
    const keys = Array.from({ length: 20 }, () => randomUUID());

    const first = await Promise.all(keys.map((key, i) => book(event.id, (i % 2) + 1, {}, key)));
    const replays = await Promise.all(keys.map((key, i) => book(event.id, (i % 2) + 1, {}, key)));

    expect(first.map((response) => response.status)).toEqual(keys.map(() => 201));
    replays.forEach((replay, i) => {
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first[i].body);
    });
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Hot')).toMatchObject({ seatsSold: 30, confirmedBookedQuantity: 30 });
  });
});
