import { createEvent, lifecycleCounters, moveEventIntoThePast } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

async function bookOne(quantity = 2) {
  const event = await createEvent(testApp, { ticket_categories: [{ name: 'Stalls', price: 30, seats_limit: 10 }] });
  const booking = await testApp
    .http()
    .post(`/events/${event.id}/book`)
    .send({ ticket_category: 'Stalls', quantity, customer_name: 'Grace Hopper', customer_email: 'grace@example.com' });
  expect(booking.status).toBe(201);
  return { event, booking: booking.body as { reference: string; id: number; [key: string]: unknown } };
}

describe('GET /bookings/:reference', () => {
  it('answers 200 with the booking, its event and its customer', async () => {
    const { event, booking } = await bookOne();

    const response = await testApp.http().get(`/bookings/${booking.reference}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: booking.id,
      reference: booking.reference,
      status: 'confirmed',
      event_id: event.id,
      event: { id: event.id, name: 'Music Concert', venue: 'Stadium A', date: event.date, local_date: event.local_date },
      ticket_category: 'Stalls',
      quantity: 2,
      unit_price: 30,
      total_price: 60,
      currency: 'EUR',
      code: null,
      discount_total: 0,
      items: [{ ticket_category: 'Stalls', quantity: 2, unit_price: 30, original_unit_price: 30, total_price: 60 }],
      customer_name: 'Grace Hopper',
      customer_email: 'grace@example.com',
      created_at: booking.created_at,
      cancelled_at: null,
      tickets: booking.tickets,
    });
    expect(booking.tickets).toHaveLength(2);
  });

  it('reads a reference typed in lower case', async () => {
    const { booking } = await bookOne();
    const response = await testApp.http().get(`/bookings/${booking.reference.toLowerCase()}`);
    expect(response.status).toBe(200);
    expect(response.body.reference).toBe(booking.reference);
  });

  it.each(['0000000000AA', 'short', '1'])('answers 404 BOOKING_NOT_FOUND for %s', async (reference) => {
    const response = await testApp.http().get(`/bookings/${reference}`);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('BOOKING_NOT_FOUND');
  });

  it('never accepts the sequential id in place of the reference', async () => {
    const { booking } = await bookOne();
    const response = await testApp.http().get(`/bookings/${booking.id}`);
    expect(response.status).toBe(404);
  });
});

describe('POST /bookings/:reference/cancel', () => {
  it('answers 200 with the cancelled booking and returns its seats in the same transaction', async () => {
    const { event, booking } = await bookOne(3);

    const response = await testApp.http().post(`/bookings/${booking.reference}/cancel`);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ reference: booking.reference, status: 'cancelled', quantity: 3 });
    expect(Date.parse(response.body.cancelled_at)).not.toBeNaN();
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Stalls')).toEqual({
      seatsSold: 0,
      seatsHeld: 0,
      seatsLimit: 10,
      activeHeldQuantity: 0,
      confirmedBookedQuantity: 0,
    });
    const lookup = await testApp.http().get(`/bookings/${booking.reference}`);
    expect(lookup.body).toEqual(response.body);
  });

  it('answers 200 with the same result when cancelled again, returning the seats only once', async () => {
    const { event, booking } = await bookOne(3);
    const first = await testApp.http().post(`/bookings/${booking.reference}/cancel`);

    const again = await Promise.all([1, 2, 3].map(() => testApp.http().post(`/bookings/${booking.reference}/cancel`)));

    for (const response of again) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual(first.body);
    }
    expect((await lifecycleCounters(testApp.dataSource, event.id, 'Stalls')).seatsSold).toBe(0);
  });

  it('returns the seats exactly once when many cancels race', async () => {
    const { event, booking } = await bookOne(4);
    await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Stalls', quantity: 1 });

    const responses = await Promise.all(Array.from({ length: 8 }, () => testApp.http().post(`/bookings/${booking.reference}/cancel`)));

    expect(responses.map((response) => [response.status, response.body.status])).toEqual(Array(8).fill([200, 'cancelled']));
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Stalls')).toMatchObject({ seatsSold: 1, confirmedBookedQuantity: 1 });
  });

  it('answers 409 EVENT_IN_PAST once the event has taken place, and changes nothing', async () => {
    const { event, booking } = await bookOne(2);
    await moveEventIntoThePast(testApp.dataSource, event.id);

    const response = await testApp.http().post(`/bookings/${booking.reference}/cancel`);

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('EVENT_IN_PAST');
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Stalls')).toMatchObject({ seatsSold: 2, confirmedBookedQuantity: 2 });
  });

  it('answers 404 BOOKING_NOT_FOUND for an unknown reference', async () => {
    const response = await testApp.http().post('/bookings/0000000000AA/cancel');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('BOOKING_NOT_FOUND');
  });
});

describe('max_per_booking', () => {
  it('rejects a booking above the limit with 422 QUANTITY_ABOVE_LIMIT naming it, and accepts one at the limit', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Pit', price: 80, seats_limit: 100, max_per_booking: 4 }] });

    const above = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Pit', quantity: 5 });
    const at = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Pit', quantity: 4 });

    expect(above.status).toBe(422);
    expect(above.body).toMatchObject({ code: 'QUANTITY_ABOVE_LIMIT', message: 'At most 4 seats of "Pit" can be taken in one booking.' });
    expect(at.status).toBe(201);
    expect(event.ticket_categories).toEqual([expect.objectContaining({ max_per_booking: 4 })]);
  });
});
