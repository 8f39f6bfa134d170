import { createEvent, expireHoldNow, insertPastEvent, lifecycleCounters, moveEventIntoThePast } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

function hold(eventId: number, body: Record<string, unknown>) {
  return testApp.http().post(`/events/${eventId}/holds`).send(body);
}

async function smallEvent(seats = 10, extra: Record<string, unknown> = {}) {
  return createEvent(testApp, { ticket_categories: [{ name: 'Floor', price: 12.5, seats_limit: seats, ...extra }] });
}

async function floor(eventId: number) {
  const response = await testApp.http().get(`/events/${eventId}`);
  return response.body.ticket_categories[0] as { seats_sold: number; seats_held: number; seats_available: number };
}

describe('POST /events/:id/holds', () => {
  it('holds seats for HOLD_TTL_SECONDS and answers 201 with the hold', async () => {
    const event = await smallEvent();
    const before = Date.now();

    const response = await hold(event.id, { ticket_category: 'floor', quantity: 3, customer_email: 'ada@example.com' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      reference: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{12}$/),
      event_id: event.id,
      ticket_category: 'Floor',
      quantity: 3,
      unit_price: 12.5,
      total_price: 37.5,
      currency: 'EUR',
      code: null,
      discount_total: 0,
      items: [{ ticket_category: 'Floor', quantity: 3, unit_price: 12.5, original_unit_price: 12.5, total_price: 37.5 }],
      expires_at: expect.any(String),
    });
    const ttlMs = Date.parse(response.body.expires_at) - before;
    expect(ttlMs).toBeGreaterThan(599_000);
    expect(ttlMs).toBeLessThan(601_000);
    expect(await floor(event.id)).toMatchObject({ seats_sold: 0, seats_held: 3, seats_available: 7 });
  });

  it('makes held seats unavailable to everyone else', async () => {
    const event = await smallEvent(4);
    expect((await hold(event.id, { ticket_category: 'Floor', quantity: 3 })).status).toBe(201);

    const booking = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Floor', quantity: 2 });
    expect(booking.status).toBe(409);
    expect(booking.body.code).toBe('INSUFFICIENT_SEATS');

    expect((await hold(event.id, { ticket_category: 'Floor', quantity: 1 })).status).toBe(201);
    const soldOut = await hold(event.id, { ticket_category: 'Floor', quantity: 1 });
    expect(soldOut.status).toBe(409);
    expect(soldOut.body.code).toBe('SOLD_OUT');
  });

  it.each([
    ['an invalid body', async () => (await smallEvent()).id, { ticket_category: 'Floor', quantity: 0 }, 400, 'VALIDATION_FAILED'],
    ['an unknown event', async () => 987654321, { ticket_category: 'Floor', quantity: 1 }, 404, 'EVENT_NOT_FOUND'],
    ['a past event', async () => insertPastEvent(testApp.dataSource, 'Floor'), { ticket_category: 'Floor', quantity: 1 }, 409, 'EVENT_IN_PAST'],
    ['an unknown category', async () => (await smallEvent()).id, { ticket_category: 'Balcony', quantity: 1 }, 422, 'TICKET_CATEGORY_NOT_FOUND'],
    ['a sold-out category', async () => (await smallEvent(2, { seats_sold: 2 })).id, { ticket_category: 'Floor', quantity: 1 }, 409, 'SOLD_OUT'],
    ['too few seats', async () => (await smallEvent(2)).id, { ticket_category: 'Floor', quantity: 3 }, 409, 'INSUFFICIENT_SEATS'],
    ['more than max_per_booking', async () => (await smallEvent(10, { max_per_booking: 2 })).id, { ticket_category: 'Floor', quantity: 3 }, 422, 'QUANTITY_ABOVE_LIMIT'],
  ])('rejects %s like a booking does', async (_case, eventId, body, status, code) => {
    const id = await eventId();
    const response = await hold(id, body);
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
    const [{ n }] = await testApp.dataSource.query('SELECT COUNT(*) AS n FROM holds WHERE event_id = ?', [id]);
    expect(Number(n)).toBe(0);
  });
});

describe('POST /holds/:reference/confirm', () => {
  it('turns the hold into a booking at the held price, moving the seats from held to sold', async () => {
    const event = await smallEvent();
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 2, customer_name: 'Ada', customer_email: 'ada@example.com' });

    const response = await testApp.http().post(`/holds/${held.body.reference}/confirm`);

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      reference: held.body.reference,
      status: 'confirmed',
      event_id: event.id,
      ticket_category: 'Floor',
      quantity: 2,
      unit_price: 12.5,
      total_price: 25,
      customer_name: 'Ada',
      customer_email: 'ada@example.com',
      cancelled_at: null,
    });
    expect(await floor(event.id)).toMatchObject({ seats_sold: 2, seats_held: 0, seats_available: 8 });
    const lookup = await testApp.http().get(`/bookings/${held.body.reference}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual(response.body);
  });

  it('answers 200 with the same booking when the hold was already confirmed', async () => {
    const event = await smallEvent();
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 2 });
    const first = await testApp.http().post(`/holds/${held.body.reference}/confirm`);

    const again = await testApp.http().post(`/holds/${held.body.reference.toLowerCase()}/confirm`);

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Floor')).toMatchObject({ seatsSold: 2, confirmedBookedQuantity: 2 });
  });

  it('answers 410 HOLD_EXPIRED for a hold whose time ran out, and books nothing', async () => {
    const event = await smallEvent();
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 2 });
    await expireHoldNow(testApp.dataSource, held.body.reference);

    const response = await testApp.http().post(`/holds/${held.body.reference}/confirm`);

    expect(response.status).toBe(410);
    expect(response.body.code).toBe('HOLD_EXPIRED');
    expect(await floor(event.id)).toMatchObject({ seats_sold: 0, seats_held: 0, seats_available: 10 });
  });

  it('answers 404 HOLD_NOT_FOUND for an unknown or malformed reference', async () => {
    for (const reference of ['0000000000AA', 'not-a-reference']) {
      const response = await testApp.http().post(`/holds/${reference}/confirm`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('HOLD_NOT_FOUND');
    }
  });

  it('answers 409 EVENT_IN_PAST when the event has meanwhile taken place', async () => {
    const event = await smallEvent();
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 1 });
    await moveEventIntoThePast(testApp.dataSource, event.id);

    const response = await testApp.http().post(`/holds/${held.body.reference}/confirm`);

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('EVENT_IN_PAST');
  });

  it('books exactly once when the same hold is confirmed many times at once', async () => {
    const event = await smallEvent();
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 3 });

    const responses = await Promise.all(Array.from({ length: 10 }, () => testApp.http().post(`/holds/${held.body.reference}/confirm`)));

    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Floor')).toEqual({
      seatsSold: 3,
      seatsHeld: 0,
      seatsLimit: 10,
      activeHeldQuantity: 0,
      confirmedBookedQuantity: 3,
    });
  });
});

describe('DELETE /holds/:reference', () => {
  it('answers 204 and frees the seats at once', async () => {
    const event = await smallEvent(3);
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 3 });

    const response = await testApp.http().delete(`/holds/${held.body.reference}`);

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await floor(event.id)).toMatchObject({ seats_held: 0, seats_available: 3 });
    expect((await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Floor', quantity: 3 })).status).toBe(201);
  });

  it('answers 404 HOLD_NOT_FOUND for a hold that was released already', async () => {
    const event = await smallEvent();
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 1 });
    await testApp.http().delete(`/holds/${held.body.reference}`);

    const again = await testApp.http().delete(`/holds/${held.body.reference}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('HOLD_NOT_FOUND');
    const confirm = await testApp.http().post(`/holds/${held.body.reference}/confirm`);
    expect(confirm.status).toBe(404);
  });

  it('answers 409 HOLD_ALREADY_CONFIRMED for a confirmed hold, leaving the booking alone', async () => {
    const event = await smallEvent();
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 1 });
    await testApp.http().post(`/holds/${held.body.reference}/confirm`);

    const response = await testApp.http().delete(`/holds/${held.body.reference}`);

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('HOLD_ALREADY_CONFIRMED');
    expect(await floor(event.id)).toMatchObject({ seats_sold: 1, seats_held: 0 });
  });
});

describe('expired holds', () => {
  it('are never counted as taken, even before the sweep has run', async () => {
    const event = await smallEvent(4);
    const held = await hold(event.id, { ticket_category: 'Floor', quantity: 4 });
    await expireHoldNow(testApp.dataSource, held.body.reference);

    expect(await floor(event.id)).toMatchObject({ seats_held: 0, seats_available: 4 });
    const booking = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Floor', quantity: 4 });
    expect(booking.status).toBe(201);
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Floor')).toEqual({
      seatsSold: 4,
      seatsHeld: 0,
      seatsLimit: 4,
      activeHeldQuantity: 0,
      confirmedBookedQuantity: 4,
    });
  });
});
