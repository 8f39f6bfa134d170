import { createEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Orders of several lines: one atomic purchase over several categories of one event. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

/** General 50 × 100 seats, VIP 150 × 10 seats, Box 300 × 2 seats. */
function concert(overrides: Record<string, unknown> = {}) {
  return createEvent(testApp, {
    ticket_categories: [
      { name: 'General', price: 50, seats_limit: 100 },
      { name: 'VIP', price: 150, seats_limit: 10 },
      { name: 'Box', price: 300, seats_limit: 2 },
    ],
    ...overrides,
  });
}

function book(eventId: number, body: object) {
  return testApp.http().post(`/events/${eventId}/book`).send(body);
}

function hold(eventId: number, body: object) {
  return testApp.http().post(`/events/${eventId}/holds`).send(body);
}

async function seatsOf(eventId: number): Promise<Record<string, { sold: number; held: number }>> {
  const { body } = await testApp.http().get(`/events/${eventId}`);
  return Object.fromEntries(
    (body.ticket_categories as { name: string; seats_sold: number; seats_held: number }[]).map((category) => [category.name, { sold: category.seats_sold, held: category.seats_held }]),
  );
}

const ticket = (category: string, attendee: string | null = null) => ({
  code: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  ticket_category: category,
  attendee_name: attendee,
  status: 'valid',
  checked_in_at: null,
});

describe('POST /events/:id/book with items', () => {
  it('books every line in one booking: items priced per line, a ticket per seat, named in order', async () => {
    const event = await concert();

    const response = await book(event.id, {
      items: [
        { ticket_category: 'general', quantity: 2, attendee_names: ['Ada', 'Grace'] },
        { ticket_category: 'VIP', quantity: 1 },
      ],
      customer_name: 'Ada Lovelace',
    });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      status: 'confirmed',
      ticket_category: null,
      unit_price: null,
      quantity: 3,
      total_price: 250,
      items: [
        { ticket_category: 'General', quantity: 2, unit_price: 50, total_price: 100 },
        { ticket_category: 'VIP', quantity: 1, unit_price: 150, total_price: 150 },
      ],
      customer_name: 'Ada Lovelace',
      tickets: [ticket('General', 'Ada'), ticket('General', 'Grace'), ticket('VIP')],
    });
    expect(new Set(response.body.tickets.map((each: { code: string }) => each.code)).size).toBe(3);
    expect(await seatsOf(event.id)).toMatchObject({ General: { sold: 2 }, VIP: { sold: 1 } });
    expect((await testApp.http().get(`/bookings/${response.body.reference}`)).body).toEqual(response.body);
  });

  it('books nothing when one line does not fit, and answers that line’s error', async () => {
    const event = await concert();

    const response = await book(event.id, { items: [{ ticket_category: 'General', quantity: 5 }, { ticket_category: 'Box', quantity: 3 }] });

    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'INSUFFICIENT_SEATS', message: 'Only 2 seats left in "Box"; 3 requested.' });
    expect(await seatsOf(event.id)).toMatchObject({ General: { sold: 0 }, Box: { sold: 0 } });
  });

  it('runs today’s checks in today’s order over all lines: an unknown category before a sold-out one', async () => {
    const event = await concert();
    await book(event.id, { ticket_category: 'Box', quantity: 2 });

    const soldOutFirst = await book(event.id, { items: [{ ticket_category: 'Box', quantity: 1 }, { ticket_category: 'Balcony', quantity: 1 }] });
    const soldOutBeforeShort = await book(event.id, { items: [{ ticket_category: 'VIP', quantity: 11 }, { ticket_category: 'Box', quantity: 1 }] });

    expect(soldOutFirst.status).toBe(422);
    expect(soldOutFirst.body).toMatchObject({ code: 'TICKET_CATEGORY_NOT_FOUND', message: `Event ${event.id} has no ticket category named "Balcony".` });
    expect(soldOutBeforeShort.body).toMatchObject({ code: 'SOLD_OUT', message: 'Ticket category "Box" is sold out.' });
  });

  it("applies each category's max_per_booking to its line and the event's max_tickets_per_booking to the whole order", async () => {
    const event = await concert({
      max_tickets_per_booking: 4,
      ticket_categories: [
        { name: 'General', price: 50, seats_limit: 100, max_per_booking: 3 },
        { name: 'VIP', price: 150, seats_limit: 10 },
      ],
    });
    expect(event.max_tickets_per_booking).toBe(4);

    const lineOver = await book(event.id, { items: [{ ticket_category: 'General', quantity: 4 }] });
    const orderOver = await book(event.id, { items: [{ ticket_category: 'General', quantity: 3 }, { ticket_category: 'VIP', quantity: 2 }] });
    const within = await book(event.id, { items: [{ ticket_category: 'General', quantity: 3 }, { ticket_category: 'VIP', quantity: 1 }] });

    expect(lineOver.body).toMatchObject({ code: 'QUANTITY_ABOVE_LIMIT', message: 'At most 3 seats of "General" can be taken in one booking.' });
    expect(orderOver.status).toBe(422);
    expect(orderOver.body).toMatchObject({ code: 'QUANTITY_ABOVE_LIMIT', message: 'At most 4 tickets can be taken in one booking, over all its lines.' });
    expect(within.status).toBe(201);
  });

  it('lets an organiser set and remove max_tickets_per_booking with PATCH', async () => {
    const event = await concert();
    const set = await testApp.http().patch(`/events/${event.id}`).set('Authorization', organizerAuth).send({ max_tickets_per_booking: 2 });
    expect(set.body.max_tickets_per_booking).toBe(2);
    expect((await book(event.id, { ticket_category: 'General', quantity: 3 })).body.code).toBe('QUANTITY_ABOVE_LIMIT');

    const removed = await testApp.http().patch(`/events/${event.id}`).set('Authorization', organizerAuth).send({ max_tickets_per_booking: null });
    expect(removed.body.max_tickets_per_booking).toBeNull();
    expect((await book(event.id, { ticket_category: 'General', quantity: 3 })).status).toBe(201);
  });

  it.each([
    ['both forms', { ticket_category: 'General', quantity: 1, items: [{ ticket_category: 'VIP', quantity: 1 }] }, 'items must not be sent together with ticket_category, quantity, attendee_names'],
    ['neither form', { customer_name: 'Ada' }, 'ticket_category must be a string'],
    ['no lines', { items: [] }, 'items must contain at least 1 elements'],
    ['21 lines', { items: Array.from({ length: 21 }, (_, i) => ({ ticket_category: `C${i}`, quantity: 1 })) }, 'items must contain no more than 20 elements'],
    ['a category twice, ignoring case', { items: [{ ticket_category: 'VIP', quantity: 1 }, { ticket_category: 'vip', quantity: 1 }] }, 'items must have unique ticket_category values (compared case-insensitively)'],
    ['more names than seats', { ticket_category: 'General', quantity: 1, attendee_names: ['Ada', 'Grace'] }, 'attendee_names must not have more entries than quantity'],
    ['an empty name', { items: [{ ticket_category: 'General', quantity: 1, attendee_names: [''] }] }, 'items.0.each value in attendee_names must be longer than or equal to 1 and shorter than or equal to 200 characters'],
    ['more than 1,000 seats in a line', { ticket_category: 'General', quantity: 1001 }, 'quantity must not be greater than 1000'],
  ])('refuses %s with 400 VALIDATION_FAILED, booking nothing', async (_label, body, message) => {
    const event = await concert();
    const response = await book(event.id, body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.message).toContain(message);
    expect(await seatsOf(event.id)).toMatchObject({ General: { sold: 0 }, VIP: { sold: 0 } });
  });

  it('keeps the one-category form as it was, with its one item and its tickets', async () => {
    const event = await concert();
    const response = await book(event.id, { ticket_category: 'VIP', quantity: 2, attendee_names: ['Ada'] });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      ticket_category: 'VIP',
      quantity: 2,
      unit_price: 150,
      total_price: 300,
      items: [{ ticket_category: 'VIP', quantity: 2, unit_price: 150, total_price: 300 }],
      tickets: [ticket('VIP', 'Ada'), ticket('VIP')],
    });
  });
});

describe('holds of several lines', () => {
  it('holds every line, confirms every line into one booking with its tickets, and cancelling returns them all', async () => {
    const event = await concert();

    const held = await hold(event.id, { items: [{ ticket_category: 'VIP', quantity: 2, attendee_names: ['Ada'] }, { ticket_category: 'Box', quantity: 1 }] });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ ticket_category: null, unit_price: null, quantity: 3, total_price: 600, items: [{ ticket_category: 'VIP' }, { ticket_category: 'Box' }] });
    expect(held.body.tickets).toBeUndefined();
    expect(await seatsOf(event.id)).toMatchObject({ VIP: { held: 2, sold: 0 }, Box: { held: 1, sold: 0 } });

    const confirmed = await testApp.http().post(`/holds/${held.body.reference}/confirm`);
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ reference: held.body.reference, quantity: 3, total_price: 600, tickets: [ticket('VIP', 'Ada'), ticket('VIP'), ticket('Box')] });
    expect(await seatsOf(event.id)).toMatchObject({ VIP: { held: 0, sold: 2 }, Box: { held: 0, sold: 1 } });

    const cancelled = await testApp.http().post(`/bookings/${held.body.reference}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.tickets.map((each: { status: string }) => each.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await seatsOf(event.id)).toMatchObject({ VIP: { held: 0, sold: 0 }, Box: { held: 0, sold: 0 } });
  });

  it('releases every line of a hold at once', async () => {
    const event = await concert();
    const held = await hold(event.id, { items: [{ ticket_category: 'General', quantity: 4 }, { ticket_category: 'VIP', quantity: 1 }] });

    const released = await testApp.http().delete(`/holds/${held.body.reference}`);

    expect(released.status).toBe(204);
    expect(await seatsOf(event.id)).toMatchObject({ General: { held: 0 }, VIP: { held: 0 } });
  });

  it('cancelling the event cancels every line and every ticket of its orders', async () => {
    const event = await concert();
    const booked = await book(event.id, { items: [{ ticket_category: 'General', quantity: 1 }, { ticket_category: 'VIP', quantity: 1 }] });
    await hold(event.id, { items: [{ ticket_category: 'General', quantity: 2 }, { ticket_category: 'Box', quantity: 1 }] });

    await testApp.http().post(`/events/${event.id}/cancel`).set('Authorization', organizerAuth).expect(200);

    const lookedUp = await testApp.http().get(`/bookings/${booked.body.reference}`);
    expect(lookedUp.body.status).toBe('cancelled');
    expect(lookedUp.body.tickets.map((each: { status: string }) => each.status)).toEqual(['cancelled', 'cancelled']);
    expect(await seatsOf(event.id)).toEqual({ General: { sold: 0, held: 0 }, VIP: { sold: 0, held: 0 }, Box: { sold: 0, held: 0 } });
  });
});
