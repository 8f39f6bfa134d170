import { createEvent } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** The read cache is off here (READ_CACHE_MS defaults to 0): every answer is read afresh. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

async function newEvent(): Promise<number> {
  return (await createEvent(testApp, { ticket_categories: [{ name: 'Stalls', price: 30, seats_limit: 10 }] })).id;
}

describe.each([
  ['GET /events/:id', async () => `/events/${await newEvent()}`],
  ['GET /events', async () => (await newEvent(), '/events?limit=1')],
])('%s with the read cache off', (_name, path) => {
  it('sends a strong ETag and Cache-Control: no-cache', async () => {
    const response = await testApp.http().get(await path());

    expect(response.status).toBe(200);
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('answers 304 without a body to an If-None-Match naming the current ETag, in any of its forms', async () => {
    const url = await path();
    const first = await testApp.http().get(url);
    const etag = first.headers.etag;

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await testApp.http().get(url).set('If-None-Match', ifNoneMatch);
      expect(response.status).toBe(304);
      expect(response.text).toBe('');
      expect(response.headers.etag).toBe(etag);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers.link).toBe(first.headers.link);
    }
  });

  it('answers 200 with the body to an If-None-Match naming another ETag', async () => {
    const url = await path();
    const first = await testApp.http().get(url);

    const response = await testApp.http().get(url).set('If-None-Match', '"not-it"');

    expect(response.status).toBe(200);
    expect(response.body).toEqual(first.body);
    expect(response.headers.etag).toBe(first.headers.etag);
  });
});

describe('ETags follow the content', () => {
  it('changes the ETag when a booking changes the event, so the old one no longer answers 304', async () => {
    const id = await newEvent();
    const before = await testApp.http().get(`/events/${id}`);
    await testApp.http().post(`/events/${id}/book`).send({ ticket_category: 'Stalls', quantity: 1 }).expect(201);

    const after = await testApp.http().get(`/events/${id}`).set('If-None-Match', before.headers.etag);

    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.ticket_categories[0].seats_sold).toBe(1);
  });

  it('gives equal answers equal ETags', async () => {
    const id = await newEvent();
    const [a, b] = [await testApp.http().get(`/events/${id}`), await testApp.http().get(`/events/${id}`)];
    expect(a.headers.etag).toBe(b.headers.etag);
  });
});
