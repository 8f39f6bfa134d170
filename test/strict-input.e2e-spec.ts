import { createEvent, eventBody, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Input the validators once let through: dates past the horizon, silently dropped keys, lone surrogates, loose cursors. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

async function bookingCount(): Promise<number> {
  const [{ n }] = await testApp.dataSource.query('SELECT COUNT(*) AS n FROM bookings');
  return Number(n);
}

function postEvent(body: Record<string, unknown>) {
  return testApp.http().post('/events').set('Authorization', organizerAuth).send(body);
}

const cursorOf = (position: unknown[]) => Buffer.from(JSON.stringify(position)).toString('base64url');

describe('dates', () => {
  it('takes the last second of 9999 (UTC), stores it on either database and lists the event', async () => {
    const created = await postEvent(eventBody({ name: 'At the horizon', date: '9999-12-31T23:59:59Z' }));

    expect(created.status).toBe(201);
    expect(created.body.date).toBe('9999-12-31T23:59:59.000Z');
    expect((await testApp.http().get(`/events/${created.body.id}`)).body.date).toBe('9999-12-31T23:59:59.000Z');
    const listed = await testApp.http().get('/events?limit=100');
    expect(listed.body.map((event: { id: number }) => event.id)).toContain(created.body.id);
  });

  it.each(['9999-12-31T23:59:59-12:00', '9999-12-31T23:59:59.500Z'])('refuses %s, past the horizon once its offset is applied, on create and PATCH', async (date) => {
    const event = await createEvent(testApp);

    const created = await postEvent(eventBody({ date }));
    const patched = await testApp.http().patch(`/events/${event.id}`).set('Authorization', organizerAuth).send({ date });

    for (const response of [created, patched]) {
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.message).toEqual([expect.stringContaining('date must be an ISO 8601 date-time with a time zone')]);
      expect(response.body.message[0]).toContain('no later than 9999-12-31T23:59:59Z');
    }
    expect((await testApp.http().get(`/events/${event.id}`)).body.date).toBe(event.date);
  });
});

describe('keys that name what every object inherits', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype'])(
    'refuses %s as an unknown field at the top and inside a category, booking and creating nothing',
    async (key) => {
      const event = await createEvent(testApp);
      const before = await bookingCount();

      const booked = await testApp.http().post(`/events/${event.id}/book`).set('Content-Type', 'application/json').send(`{"ticket_category":"General","quantity":1,"${key}":1}`);
      const created = await testApp
        .http()
        .post('/events')
        .set('Authorization', organizerAuth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(eventBody()).replace('"seats_limit":100', `"seats_limit":100,"${key}":1`));
      const listed = await testApp.http().get(`/events?${key}=1`);

      expect(booked.status).toBe(400);
      expect(booked.body).toMatchObject({ code: 'VALIDATION_FAILED', message: [`property ${key} should not exist`] });
      expect(created.status).toBe(400);
      expect(created.body.message).toEqual([`ticket_categories.0.property ${key} should not exist`]);
      expect(listed.status).toBe(400);
      expect(listed.body.message).toEqual([`property ${key} should not exist`]);
      expect(await bookingCount()).toBe(before);
    },
  );
});

describe('text that is not well-formed Unicode', () => {
  it('refuses a lone surrogate in any string of a body, naming the field', async () => {
    const event = await createEvent(testApp);
    const before = await bookingCount();

    const eventName = await postEvent(eventBody({ name: '\ud800x' }));
    const categoryName = await postEvent(eventBody({ ticket_categories: [{ name: 'VIP\udfff', price: 1, seats_limit: 1 }] }));
    const customer = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'General', quantity: 1, customer_name: 'Ada \ud83d' });
    const patched = await testApp.http().patch(`/events/${event.id}`).set('Authorization', organizerAuth).send({ details: '\udc00' });

    expect(eventName.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: ['name must be well-formed Unicode text (it holds a lone surrogate)'] });
    expect(categoryName.body.message).toEqual(['ticket_categories.0.name must be well-formed Unicode text (it holds a lone surrogate)']);
    expect(customer.body.message).toEqual(['customer_name must be well-formed Unicode text (it holds a lone surrogate)']);
    expect(patched.body.message).toEqual(['details must be well-formed Unicode text (it holds a lone surrogate)']);
    expect(await bookingCount()).toBe(before);
    expect((await testApp.http().get(`/events/${event.id}`)).body.details).toBe(event.details);
  });

  it('keeps well-formed text outside the Basic Multilingual Plane exactly as sent', async () => {
    const created = await postEvent(eventBody({ name: 'Concert 🎻', ticket_categories: [{ name: '𝄞 Front', price: 1, seats_limit: 5 }] }));
    const booked = await testApp.http().post(`/events/${created.body.id}/book`).send({ ticket_category: '𝄞 Front', quantity: 1, customer_name: 'Zoë 😀' });

    expect(created.status).toBe(201);
    expect(created.body.name).toBe('Concert 🎻');
    expect(booked.status).toBe(201);
    expect(booked.body.customer_name).toBe('Zoë 😀');
  });

  it('never lets one reach a query or a path: an encoded surrogate is not valid UTF-8 and is refused', async () => {
    const query = await testApp.http().get('/events?cursor=%ED%A0%80');
    const path = await testApp.http().get('/bookings/%ED%A0%80ABCDEFGHJ');

    expect(query.status).toBe(400);
    expect(query.body.code).toBe('VALIDATION_FAILED');
    expect(path.status).toBe(400);
    expect(path.body.code).toBe('MALFORMED_REQUEST');
  });
});

describe('page cursors', () => {
  it('follows the cursor of the Link header', async () => {
    await createEvent(testApp);
    await createEvent(testApp);
    const first = await testApp.http().get('/events?limit=1');
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.link)?.[1];

    const second = await testApp.http().get(next ?? '');

    expect(second.status).toBe(200);
    expect(second.body).toHaveLength(1);
  });

  it.each([
    ['a year alone', ['2027', 1]],
    ['an RFC 7231 date', ['Tue, 01 Dec 2026', 1]],
    ['a US date', ['12/31/2027', 1]],
    ['a date without milliseconds', ['2027-06-15T18:00:00Z', 1]],
    ['a date past the horizon', ['+275760-09-13T00:00:00.000Z', 1]],
    ['a fractional id', ['2027-06-15T18:00:00.000Z', 1.5]],
  ])('refuses a re-encoded cursor holding %s with 400 VALIDATION_FAILED', async (_what, position) => {
    const response = await testApp.http().get(`/events?cursor=${cursorOf(position)}`);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: ['cursor is not valid; use the one from the Link header of the previous page'] });
  });
});
