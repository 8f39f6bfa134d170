import { categoryStates, createEvent, insertPastEvent } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

async function bookingCount(): Promise<number> {
  const [row] = await testApp.dataSource.query('SELECT COUNT(*) AS n FROM bookings');
  return Number(row.n);
}

describe('POST /events/:id/book', () => {
  it('books seats and answers 201 with the booking and an exact total', async () => {
    const event = await createEvent(testApp, {
      ticket_categories: [{ name: 'Student', price: 0.1, seats_limit: 10 }],
    });

    const response = await testApp.http().post(`/events/${event.id}/book`).send({
      ticket_category: 'Student',
      quantity: 3,
      customer_name: 'Ada Lovelace',
      customer_email: 'ada@example.com',
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      reference: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{12}$/),
      status: 'confirmed',
      event_id: event.id,
      event: { id: event.id, name: 'Music Concert', venue: 'Stadium A', date: event.date, local_date: event.local_date },
      ticket_category: 'Student',
      quantity: 3,
      unit_price: 0.1,
      total_price: 0.3,
      currency: 'EUR',
      code: null,
      discount_total: 0,
      items: [{ ticket_category: 'Student', quantity: 3, unit_price: 0.1, original_unit_price: 0.1, total_price: 0.3 }],
      customer_name: 'Ada Lovelace',
      customer_email: 'ada@example.com',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      cancelled_at: null,
      tickets: Array.from({ length: 3 }, () => ({
        code: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        ticket_category: 'Student',
        attendee_name: null,
        status: 'valid',
        checked_in_at: null,
      })),
    });
    const after = await testApp.http().get(`/events/${event.id}`);
    expect(after.body.ticket_categories[0]).toMatchObject({ seats_sold: 3, seats_available: 7 });
  });

  it('keeps customer fields optional', async () => {
    const event = await createEvent(testApp);
    const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 1 });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ customer_name: null, customer_email: null, unit_price: 150, total_price: 150 });
  });

  it('finds the category whatever the case of its name, answering with the name as created', async () => {
    const event = await createEvent(testApp);
    const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'vip', quantity: 1 });
    expect(response.status).toBe(201);
    expect(response.body.ticket_category).toBe('VIP');
  });

  it('sells the very last seats', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'A', price: 5, seats_limit: 4, seats_sold: 2 }] });
    const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'A', quantity: 2 });
    expect(response.status).toBe(201);
    const after = await testApp.http().get(`/events/${event.id}`);
    expect(after.body).toMatchObject({ sold_out: true, ticket_categories: [{ seats_sold: 4, seats_available: 0 }] });
  });

  describe('rejects, in order, without writing anything', () => {
    it.each([
      ['a missing ticket_category', { quantity: 1 }, 'ticket_category must be a string'],
      ['a quantity of 0', { ticket_category: 'General', quantity: 0 }, 'quantity must not be less than 1'],
      ['a fractional quantity', { ticket_category: 'General', quantity: 1.5 }, 'quantity must be an integer'],
      ['a quantity sent as a string', { ticket_category: 'General', quantity: '2' }, 'quantity must be an integer'],
      ['an invalid e-mail', { ticket_category: 'General', quantity: 1, customer_email: 'not-an-email' }, 'customer_email must be an email'],
      ['a customer name over 200 characters', { ticket_category: 'General', quantity: 1, customer_name: 'x'.repeat(201) }, 'customer_name must be shorter'],
      ['an unknown field', { ticket_category: 'General', quantity: 1, seat: '12A' }, 'property seat should not exist'],
    ])('an invalid body (%s) with 400 VALIDATION_FAILED', async (_rule, body, fragment) => {
      const event = await createEvent(testApp);
      const before = await bookingCount();

      const response = await testApp.http().post(`/events/${event.id}/book`).send(body);

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect((response.body.message as string[]).join('\n')).toContain(fragment);
      expect(await bookingCount()).toBe(before);
    });

    it('a value of the wrong type with one message saying so', async () => {
      const event = await createEvent(testApp);
      const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'General', quantity: '2' });
      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['quantity must be an integer number']);
    });

    it('an invalid body before an unknown event', async () => {
      const response = await testApp.http().post('/events/987654321/book').send({ quantity: 1 });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });

    it('a path id that is not a positive integer with 400', async () => {
      const response = await testApp.http().post('/events/abc/book').send({ ticket_category: 'General', quantity: 1 });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });

    it('an unknown event with 404 EVENT_NOT_FOUND', async () => {
      const response = await testApp.http().post('/events/987654321/book').send({ ticket_category: 'General', quantity: 1 });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('EVENT_NOT_FOUND');
    });

    it('an event that has taken place with 409 EVENT_IN_PAST, before looking at the category', async () => {
      const pastId = await insertPastEvent(testApp.dataSource);
      const before = await bookingCount();

      for (const ticketCategory of ['General', 'No such category']) {
        const response = await testApp.http().post(`/events/${pastId}/book`).send({ ticket_category: ticketCategory, quantity: 1 });
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('EVENT_IN_PAST');
        expect(response.body.message).toContain('has already taken place');
      }
      expect(await bookingCount()).toBe(before);
    });

    it('an unknown category with 422 TICKET_CATEGORY_NOT_FOUND', async () => {
      const event = await createEvent(testApp);
      const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Balcony', quantity: 1 });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'TICKET_CATEGORY_NOT_FOUND',
        message: `Event ${event.id} has no ticket category named "Balcony".`,
      });
    });

    it('a sold-out category with 409 SOLD_OUT, even for more seats than it ever had', async () => {
      const event = await createEvent(testApp, { ticket_categories: [{ name: 'A', price: 5, seats_limit: 2, seats_sold: 2 }] });
      const before = await bookingCount();

      const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'A', quantity: 5 });

      expect(response.status).toBe(409);
      expect(response.body.code).toBe('SOLD_OUT');
      expect(response.body.message).toBe('Ticket category "A" is sold out.');
      expect(await bookingCount()).toBe(before);
    });

    it('more seats than are left with 409 INSUFFICIENT_SEATS, saying how many are left', async () => {
      const event = await createEvent(testApp, { ticket_categories: [{ name: 'A', price: 5, seats_limit: 5, seats_sold: 2 }] });

      const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'A', quantity: 4 });

      expect(response.status).toBe(409);
      expect(response.body.code).toBe('INSUFFICIENT_SEATS');
      expect(response.body.message).toBe('Only 3 seats left in "A"; 4 requested.');
      expect(await categoryStates(testApp.dataSource, event.id)).toEqual([
        { name: 'A', seatsLimit: 5, seatsSold: 2, bookedQuantity: 0 },
      ]);
    });
  });
});
