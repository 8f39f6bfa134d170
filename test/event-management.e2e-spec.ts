import { createEvent, lifecycleCounters, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

function patch(eventId: number, body: object) {
  return testApp.http().patch(`/events/${eventId}`).set('Authorization', organizerAuth).send(body);
}

function cancelEvent(eventId: number) {
  return testApp.http().post(`/events/${eventId}/cancel`).set('Authorization', organizerAuth);
}

function book(eventId: number, category: string, quantity: number) {
  return testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: category, quantity, customer_email: 'fan@example.com' });
}

describe('PATCH /events/:id', () => {
  it('changes event fields and categories, adds a category, and answers 200 with the event', async () => {
    const event = await createEvent(testApp);

    const response = await patch(event.id, {
      name: 'Music Concert (late show)',
      venue: 'Stadium B',
      details: null,
      date: '2031-01-01T20:00:00+01:00',
      ticket_categories: [
        { name: 'vip', price: 175.5, max_per_booking: 2 },
        { name: 'Balcony', price: 30, seats_limit: 20, max_per_booking: 4 },
      ],
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Music Concert (late show)',
      venue: 'Stadium B',
      details: null,
      date: '2031-01-01T19:00:00.000Z',
      status: 'scheduled',
      ticket_categories: [
        { name: 'General', price: 50, seats_limit: 100, max_per_booking: null },
        { name: 'VIP', price: 175.5, seats_limit: 50, max_per_booking: 2 },
        { name: 'Balcony', price: 30, seats_limit: 20, seats_sold: 0, seats_available: 20, max_per_booking: 4 },
      ],
    });
    expect((await testApp.http().get(`/events/${event.id}`)).body).toEqual(response.body);
  });

  it('applies a new price to later bookings only', async () => {
    const event = await createEvent(testApp);
    const before = await book(event.id, 'General', 1);
    await patch(event.id, { ticket_categories: [{ name: 'General', price: 65 }] });
    const after = await book(event.id, 'General', 1);

    expect(before.body.unit_price).toBe(50);
    expect(after.body.unit_price).toBe(65);
    expect((await testApp.http().get(`/bookings/${before.body.reference}`)).body.unit_price).toBe(50);
  });

  it('never lowers seats_limit below the seats sold and held: 409 SEATS_LIMIT_BELOW_SOLD', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Pit', price: 10, seats_limit: 10, seats_sold: 3 }] });
    await book(event.id, 'Pit', 2);
    await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Pit', quantity: 1 });

    const tooLow = await patch(event.id, { ticket_categories: [{ name: 'Pit', seats_limit: 5 }] });
    const exact = await patch(event.id, { ticket_categories: [{ name: 'Pit', seats_limit: 6 }] });

    expect(tooLow.status).toBe(409);
    expect(tooLow.body).toMatchObject({ code: 'SEATS_LIMIT_BELOW_SOLD', message: expect.stringContaining('6 seats already sold or held') });
    expect(exact.status).toBe(200);
    expect(exact.body.ticket_categories[0]).toMatchObject({ seats_limit: 6, seats_available: 0 });
  });

  it.each([
    ['a past date', { date: '2020-01-01T00:00:00Z' }, 'date must be in the future'],
    ['a date without a zone', { date: '2031-01-01T00:00:00' }, 'date must be an ISO 8601'],
    ['a null name', { name: null }, 'name must be a string'],
    ['a blank venue', { venue: ' ' }, 'venue must not be blank'],
    ['an unknown field', { capacity: 10 }, 'property capacity should not exist'],
    ['a new category without price and seats_limit', { ticket_categories: [{ name: 'Gallery' }] }, 'ticket_categories.0.price is required for a new category'],
    ['a negative price', { ticket_categories: [{ name: 'General', price: -1 }] }, 'ticket_categories.0.price must be a number'],
    ['a price sent as a string', { ticket_categories: [{ name: 'General', price: '12' }] }, 'ticket_categories.0.price must be a number'],
    ['duplicate names', { ticket_categories: [{ name: 'A', price: 1, seats_limit: 1 }, { name: 'a', price: 1, seats_limit: 1 }] }, 'unique names'],
  ])('rejects %s with 400 VALIDATION_FAILED and changes nothing', async (_case, body, fragment) => {
    const event = await createEvent(testApp);
    const response = await patch(event.id, body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect((response.body.message as string[]).join('\n')).toContain(fragment);
    const { body: after } = await testApp.http().get(`/events/${event.id}`);
    expect(after).toEqual({ ...after, name: 'Music Concert', venue: 'Stadium A', date: event.date });
    expect(after.ticket_categories).toHaveLength(2);
  });

  it('never deletes a category: categories left out stay as they were', async () => {
    const event = await createEvent(testApp);
    const response = await patch(event.id, { ticket_categories: [{ name: 'VIP', seats_limit: 60 }] });
    expect(response.body.ticket_categories.map((category: { name: string }) => category.name)).toEqual(['General', 'VIP']);
  });

  it('keeps the invariants while bookings race a seats_limit change', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Rush', price: 5, seats_limit: 200 }] });

    const [bookings, shrink] = await Promise.all([
      Promise.all(Array.from({ length: 60 }, (_, i) => book(event.id, 'Rush', 1 + (i % 3)))),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 15));
        return patch(event.id, { ticket_categories: [{ name: 'Rush', seats_limit: 60 }] });
      })(),
    ]);

    expect(bookings.filter((response) => response.status >= 500)).toEqual([]);
    expect([200, 409]).toContain(shrink.status);
    const counters = await lifecycleCounters(testApp.dataSource, event.id, 'Rush');
    const sold = bookings.filter((response) => response.status === 201).reduce((sum, response) => sum + (response.body.quantity as number), 0);
    expect(counters.seatsSold).toBe(sold);
    expect(counters.confirmedBookedQuantity).toBe(sold);
    expect(counters.seatsSold + counters.seatsHeld).toBeLessThanOrEqual(counters.seatsLimit);
    expect(counters.seatsLimit).toBe(shrink.status === 200 ? 60 : 200);
  });
});

describe('POST /events/:id/cancel', () => {
  it('cancels the event with every booking and hold in one go, and the seat invariants still hold', async () => {
    const event = await createEvent(testApp, {
      ticket_categories: [
        { name: 'Floor', price: 20, seats_limit: 30, seats_sold: 4 },
        { name: 'Seats', price: 35, seats_limit: 10 },
      ],
    });
    const booked = await book(event.id, 'Floor', 3);
    await book(event.id, 'Seats', 2);
    const hold = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Seats', quantity: 3 });

    const response = await cancelEvent(event.id);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: event.id, status: 'cancelled' });
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Floor')).toEqual({
      seatsSold: 4,
      seatsHeld: 0,
      seatsLimit: 30,
      activeHeldQuantity: 0,
      confirmedBookedQuantity: 0,
    });
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Seats')).toMatchObject({ seatsSold: 0, seatsHeld: 0, activeHeldQuantity: 0 });
    const booking = await testApp.http().get(`/bookings/${booked.body.reference}`);
    expect(booking.body).toMatchObject({ status: 'cancelled', cancelled_at: expect.any(String) });
    const confirm = await testApp.http().post(`/holds/${hold.body.reference}/confirm`);
    expect(confirm.status).toBe(409);
    expect(confirm.body.code).toBe('EVENT_CANCELLED');
  });

  it('answers 409 EVENT_CANCELLED to later bookings and holds, hides the event from GET /events and shows it by id', async () => {
    const event = await createEvent(testApp);
    await cancelEvent(event.id);

    for (const path of ['book', 'holds']) {
      const response = await testApp.http().post(`/events/${event.id}/${path}`).send({ ticket_category: 'General', quantity: 1 });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('EVENT_CANCELLED');
    }
    const listed = (await testApp.http().get('/events?limit=100')).body as { id: number }[];
    expect(listed.map((listedEvent) => listedEvent.id)).not.toContain(event.id);
    expect((await testApp.http().get(`/events/${event.id}`)).body.status).toBe('cancelled');
    const edit = await patch(event.id, { name: 'Revived' });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('EVENT_CANCELLED');
  });

  it('answers 200 with the same cancelled event when cancelled again', async () => {
    const event = await createEvent(testApp);
    const first = await cancelEvent(event.id);
    const again = await cancelEvent(event.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('leaves no booking standing when bookings race the cancellation', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Rush', price: 5, seats_limit: 500, seats_sold: 7 }] });

    const [bookings] = await Promise.all([
      Promise.all(Array.from({ length: 60 }, () => book(event.id, 'Rush', 1))),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 15));
        return cancelEvent(event.id);
      })(),
    ]);

    expect(bookings.filter((response) => response.status >= 500)).toEqual([]);
    for (const response of bookings.filter((each) => each.status !== 201)) expect(response.body.code).toBe('EVENT_CANCELLED');
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Rush')).toMatchObject({ seatsSold: 7, seatsHeld: 0, confirmedBookedQuantity: 0 });
  });
});

describe('GET /events/:id/bookings', () => {
  it("lists the event's bookings with customer fields, paginated, filterable by status", async () => {
    const event = await createEvent(testApp);
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await book(event.id, 'General', 1)).body as { reference: string });
    await testApp.http().post(`/bookings/${made[1].reference}/cancel`);

    const seen: { reference: string; customer_email: string; status: string }[] = [];
    let next: string | undefined = `/events/${event.id}/bookings?limit=2`;
    while (next) {
      const page: { status: number; body: typeof seen; headers: Record<string, unknown> } = await testApp.http().get(next).set('Authorization', organizerAuth);
      expect(page.status).toBe(200);
      seen.push(...page.body);
      next = /^<([^>]+)>; rel="next"$/.exec((page.headers.link as string | undefined) ?? '')?.[1];
    }
    expect(seen.map((booking) => booking.reference)).toEqual(made.map((booking) => booking.reference));
    expect(seen.every((booking) => booking.customer_email === 'fan@example.com')).toBe(true);

    const cancelled = await testApp.http().get(`/events/${event.id}/bookings?status=cancelled`).set('Authorization', organizerAuth);
    expect(cancelled.body.map((booking: { reference: string }) => booking.reference)).toEqual([made[1].reference]);
    const bad = await testApp.http().get(`/events/${event.id}/bookings?status=pending`).set('Authorization', organizerAuth);
    expect(bad.status).toBe(400);
  });

  it('keeps customer details out of every public answer but the booking looked up by reference', async () => {
    const event = await createEvent(testApp);
    const booking = await book(event.id, 'General', 1);
    const hold = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'General', quantity: 1, customer_email: 'secret@example.com' });

    for (const body of [hold.body, (await testApp.http().get(`/events/${event.id}`)).body, (await testApp.http().get('/events')).body]) {
      expect(JSON.stringify(body)).not.toMatch(/@example\.com/);
    }
    expect((await testApp.http().get(`/bookings/${booking.body.reference}`)).body.customer_email).toBe('fan@example.com');
  });
});
