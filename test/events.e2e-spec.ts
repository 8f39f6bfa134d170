import { jest } from '@jest/globals';
import { EventsService } from '../src/events/events.service.js';
import { createEvent, eventBody, inDays, insertPastEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

function expectValidationError(body: { code: string; message: string[] }, fragment: string): void {
  expect(body.code).toBe('VALIDATION_FAILED');
  expect(body.message.join('\n')).toContain(fragment);
}

describe('POST /events', () => {
  it('creates an event and returns its representation with exact prices', async () => {
    const response = await testApp
      .http()
      .post('/events').set('Authorization', organizerAuth)
      .send(
        eventBody({
          date: '2031-06-15T20:00:00+02:00',
          ticket_categories: [
            { name: 'General', price: 19.99, seats_limit: 100 },
            { name: 'VIP', price: 150, seats_limit: 50, seats_sold: 50, max_per_booking: 4 },
          ],
        }),
      );

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      name: 'Music Concert',
      venue: 'Stadium A',
      date: '2031-06-15T18:00:00.000Z',
      timezone: 'UTC',
      local_date: '2031-06-15T18:00:00+00:00',
      currency: 'EUR',
      details: 'A great music concert.',
      status: 'scheduled',
      max_tickets_per_booking: null,
      sold_out: false,
      ticket_categories: [
        { name: 'General', price: 19.99, seats_limit: 100, seats_sold: 0, seats_held: 0, seats_available: 100, max_per_booking: null, sales_start: null, sales_end: null, on_sale: true, hidden: false },
        { name: 'VIP', price: 150, seats_limit: 50, seats_sold: 50, seats_held: 0, seats_available: 0, max_per_booking: 4, sales_start: null, sales_end: null, on_sale: true, hidden: false },
      ],
    });
    const stored = await testApp.http().get(`/events/${response.body.id}`);
    expect(stored.body).toEqual(response.body);
  });

  it('marks an event sold out when no category has a seat left', async () => {
    const event = await createEvent(testApp, {
      ticket_categories: [{ name: 'Only', price: 10, seats_limit: 5, seats_sold: 5 }],
    });
    expect(event.sold_out).toBe(true);
  });

  it('treats details as optional', async () => {
    const body = eventBody();
    delete body.details;
    const response = await testApp.http().post('/events').set('Authorization', organizerAuth).send(body);
    expect(response.status).toBe(201);
    expect(response.body.details).toBeNull();
  });

  it.each([
    ['a missing name', { name: undefined }, 'name must be'],
    ['a blank name', { name: '   ' }, 'name must not be blank'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name must be shorter than or equal to 200'],
    ['a blank venue', { venue: '' }, 'venue must be longer than or equal to 1'],
    ['details over 10,000 characters', { details: 'x'.repeat(10_001) }, 'details must be shorter than or equal to 10000'],
    ['a date without a time zone', { date: '2031-06-15T18:00:00' }, 'date must be an ISO 8601 date-time with a time zone'],
    ['an impossible date', { date: '2031-02-30T18:00:00Z' }, 'date must be an ISO 8601 date-time'],
    ['a date that is a number', { date: 1_900_000_000_000 }, 'date must be a string'],
    ['no ticket categories', { ticket_categories: [] }, 'ticket_categories must contain at least 1 elements'],
    ['ticket_categories that is not a list', { ticket_categories: 'General' }, 'ticket_categories must be an array'],
    [
      'more than 50 ticket categories',
      { ticket_categories: Array.from({ length: 51 }, (_, i) => ({ name: `C${i}`, price: 1, seats_limit: 1 })) },
      'ticket_categories must contain no more than 50 elements',
    ],
    [
      'category names that differ only in case',
      { ticket_categories: [{ name: 'VIP', price: 1, seats_limit: 1 }, { name: 'vip', price: 1, seats_limit: 1 }] },
      'ticket_categories must have unique names',
    ],
    ['a negative price', { ticket_categories: [{ name: 'A', price: -1, seats_limit: 1 }] }, 'ticket_categories.0.price must be a number from 0'],
    ['a price over 1,000,000', { ticket_categories: [{ name: 'A', price: 1_000_000.01, seats_limit: 1 }] }, 'ticket_categories.0.price'],
    ['a price with 3 decimals', { ticket_categories: [{ name: 'A', price: 1.005, seats_limit: 1 }] }, 'at most 2 decimals'],
    ['a price sent as a string', { ticket_categories: [{ name: 'A', price: '10', seats_limit: 1 }] }, 'ticket_categories.0.price'],
    ['a seats_limit of 0', { ticket_categories: [{ name: 'A', price: 1, seats_limit: 0 }] }, 'seats_limit must not be less than 1'],
    ['a fractional seats_limit', { ticket_categories: [{ name: 'A', price: 1, seats_limit: 1.5 }] }, 'seats_limit must be an integer'],
    ['a seats_limit over 1,000,000', { ticket_categories: [{ name: 'A', price: 1, seats_limit: 1_000_001 }] }, 'seats_limit must not be greater than 1000000'],
    ['seats_sold above seats_limit', { ticket_categories: [{ name: 'A', price: 1, seats_limit: 2, seats_sold: 3 }] }, 'seats_sold must not be greater than seats_limit'],
    ['a category name over 100 characters', { ticket_categories: [{ name: 'x'.repeat(101), price: 1, seats_limit: 1 }] }, 'name must be shorter than or equal to 100'],
    ['a max_per_booking of 0', { ticket_categories: [{ name: 'A', price: 1, seats_limit: 1, max_per_booking: 0 }] }, 'max_per_booking must not be less than 1'],
    ['a max_per_booking over 1,000', { ticket_categories: [{ name: 'A', price: 1, seats_limit: 1, max_per_booking: 1001 }] }, 'max_per_booking must not be greater than 1000'],
    ['an unknown field', { organiser: 'me' }, 'property organiser should not exist'],
    ['an unknown category field', { ticket_categories: [{ name: 'A', price: 1, seats_limit: 1, colour: 'red' }] }, 'property colour should not exist'],
  ])('rejects %s with 400 VALIDATION_FAILED', async (_rule, overrides, fragment) => {
    const before = await testApp.dataSource.query('SELECT COUNT(*) AS n FROM events');
    const response = await testApp.http().post('/events').set('Authorization', organizerAuth).send(eventBody(overrides));

    expect(response.status).toBe(400);
    expectValidationError(response.body, fragment);
    expect(await testApp.dataSource.query('SELECT COUNT(*) AS n FROM events')).toEqual(before);
  });

  it('rejects a date in the past, saying it must be in the future', async () => {
    const response = await testApp.http().post('/events').set('Authorization', organizerAuth).send(eventBody({ date: '2020-01-01T10:00:00Z' }));
    expect(response.status).toBe(400);
    expectValidationError(response.body, 'date must be in the future');
  });

  it('rejects a body that is not a JSON object', async () => {
    const response = await testApp.http().post('/events').set('Authorization', organizerAuth).send([eventBody()]);
    expect(response.status).toBe(400);
    expectValidationError(response.body, 'must be a JSON object');
  });

  it('rejects malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await testApp.http().post('/events').set('Authorization', organizerAuth).set('Content-Type', 'application/json').send('{"name": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON.',
    });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])('rejects a %s body with 415 UNSUPPORTED_MEDIA_TYPE', async (type) => {
    const response = await testApp.http().post('/events').set('Authorization', organizerAuth).set('Content-Type', type).send('name=Gig');
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a JSON body carrying __proto__ with 400', async () => {
    const response = await testApp
      .http()
      .post('/events').set('Authorization', organizerAuth)
      .set('Content-Type', 'application/json')
      .send('{"name":"x","__proto__":{"admin":true}}');
    expect(response.status).toBe(400);
    expect(['MALFORMED_JSON', 'VALIDATION_FAILED']).toContain(response.body.code);
  });

  it('rejects a body over 1 MiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await testApp
      .http()
      .post('/events').set('Authorization', organizerAuth)
      .send(eventBody({ details: 'x'.repeat(1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('GET /events', () => {
  it('lists only upcoming events, ordered by date then id', async () => {
    const pastId = await insertPastEvent(testApp.dataSource);
    const later = await createEvent(testApp, { name: 'Later', date: inDays(400) });
    const sooner = await createEvent(testApp, { name: 'Sooner', date: inDays(300) });
    const sameTimeA = await createEvent(testApp, { name: 'Same A', date: '2029-01-01T00:00:00Z' });
    const sameTimeB = await createEvent(testApp, { name: 'Same B', date: '2029-01-01T00:00:00Z' });

    const response = await testApp.http().get('/events?limit=100');

    expect(response.status).toBe(200);
    const ids = (response.body as { id: number }[]).map((event) => event.id);
    expect(ids).not.toContain(pastId);
    const ours = ids.filter((id) => [later.id, sooner.id, sameTimeA.id, sameTimeB.id].includes(id));
    expect(ours).toEqual([sooner.id, later.id, sameTimeA.id, sameTimeB.id]);
    const dates = (response.body as { date: string }[]).map((event) => event.date);
    expect([...dates].sort()).toEqual(dates);
  });

  it('pages with limit and an opaque cursor announced in a Link header', async () => {
    const all = (await testApp.http().get('/events?limit=100')).body as { id: number }[];
    expect(all.length).toBeGreaterThanOrEqual(4);

    const seen: number[] = [];
    let next: string | undefined = '/events?limit=2';
    while (next) {
      const page = await testApp.http().get(next);
      expect(page.status).toBe(200);
      expect(page.body.length).toBeLessThanOrEqual(2);
      seen.push(...(page.body as { id: number }[]).map((event) => event.id));
      const link = page.headers.link as string | undefined;
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
      if (link) expect(next).toMatch(/^\/events\?limit=2&cursor=[A-Za-z0-9_-]+$/);
    }

    expect(seen).toEqual(all.map((event) => event.id));
  });

  it('continues from now when the cursor points at a time that has passed', async () => {
    const all = (await testApp.http().get('/events?limit=100')).body as { id: number }[];
    const yesterday = Buffer.from(JSON.stringify([new Date(Date.now() - 86_400_000).toISOString(), 1])).toString('base64url');
    const response = await testApp.http().get(`/events?limit=100&cursor=${yesterday}`);
    expect(response.status).toBe(200);
    expect((response.body as { id: number }[]).map((event) => event.id)).toEqual(all.map((event) => event.id));
  });

  it('sends no Link header on the last page', async () => {
    const response = await testApp.http().get('/events?limit=100');
    expect(response.headers.link).toBeUndefined();
  });

  it('defaults to pages of 50', async () => {
    for (let i = 0; i < 47; i++) await createEvent(testApp, { name: `Bulk ${i}` });
    const response = await testApp.http().get('/events');
    expect(response.body).toHaveLength(50);
    expect(response.headers.link).toMatch(/limit=50&cursor=/);
  });

  it.each([
    ['limit=0', 'limit must not be less than 1'],
    ['limit=101', 'limit must not be greater than 100'],
    ['limit=abc', 'limit must be an integer'],
    ['limit=1.5', 'limit must be an integer'],
    ['limit=1&limit=2', 'limit must be an integer'],
    ['cursor=not-a-cursor', 'cursor is not valid'],
    [`cursor=${Buffer.from('["2029-01-01T00:00:00Z",-1]').toString('base64url')}`, 'cursor is not valid'],
    ['sort=name', 'property sort should not exist'],
  ])('rejects %s with 400 VALIDATION_FAILED', async (query, fragment) => {
    const response = await testApp.http().get(`/events?${query}`);
    expect(response.status).toBe(400);
    expectValidationError(response.body, fragment);
  });
});

describe('GET /events/:id', () => {
  it('returns a past event too', async () => {
    const pastId = await insertPastEvent(testApp.dataSource);
    const response = await testApp.http().get(`/events/${pastId}`);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(pastId);
    expect(response.body.ticket_categories[0].name).toBe('General');
  });

  it('answers 404 EVENT_NOT_FOUND for an unknown id', async () => {
    const response = await testApp.http().get('/events/987654321');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'EVENT_NOT_FOUND',
      message: 'Event 987654321 does not exist.',
    });
  });

  it.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999999'])('rejects the id %s with 400', async (id) => {
    const response = await testApp.http().get(`/events/${id}`);
    expect(response.status).toBe(400);
    expectValidationError(response.body, 'id must be a positive integer');
  });
});

describe('anonymous reads (answered before Nest runs)', () => {
  it.each([
    ['an event', '/events/1', 'findPublic'],
    ['a page', '/events?limit=10', 'findUpcoming'],
  ] as const)('answer %s 503 DATABASE_UNAVAILABLE with Retry-After when the database refuses the read', async (_what, path, read) => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    jest.spyOn(testApp.app.get(EventsService), read).mockRejectedValueOnce(refused);

    const response = await testApp.http().get(path);

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'DATABASE_UNAVAILABLE',
      message: 'The database is unavailable at the moment; please try again shortly.',
    });
  });
});

describe('unknown routes', () => {
  it('answer 404 NOT_FOUND in the error shape', async () => {
    const response = await testApp.http().get('/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: 'No such route.' });
  });

  it('answer 404 NOT_FOUND for a known path with another method', async () => {
    const response = await testApp.http().delete('/events');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });
});
