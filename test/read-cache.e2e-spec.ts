import { jest } from '@jest/globals';
import { EventReads } from '../src/events/event-reads.js';
import { EventsService } from '../src/events/events.service.js';
import { createEvent, inDays, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Long enough that no step of a test outlasts it by accident, short enough to wait out once. */
const READ_CACHE_MS = 2000;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ READ_CACHE_MS: String(READ_CACHE_MS) });
});

afterAll(async () => {
  await testApp.close();
});

afterEach(() => {
  jest.restoreAllMocks();
});

interface PublicEvent {
  id: number;
  ticket_categories: { name: string; seats_sold: number; seats_held: number; seats_limit: number }[];
}

async function newEvent(overrides: Record<string, unknown> = {}): Promise<number> {
  return (await createEvent(testApp, { ticket_categories: [{ name: 'Stalls', price: 30, seats_limit: 10 }], ...overrides })).id;
}

async function stalls(id: number): Promise<PublicEvent['ticket_categories'][number]> {
  const response = await testApp.http().get(`/events/${id}`).expect(200);
  return (response.body as PublicEvent).ticket_categories[0];
}

/** Changes the seats behind the app's back: only the passing of READ_CACHE_MS shows it. */
async function raiseLimitDirectly(id: number): Promise<void> {
  await testApp.dataSource.query('UPDATE ticket_categories SET seats_limit = seats_limit + 1 WHERE event_id = ?', [id]);
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /events/:id with READ_CACHE_MS', () => {
  it('answers from memory for at most READ_CACHE_MS, with Cache-Control saying as much', async () => {
    const id = await newEvent();
    const first = await testApp.http().get(`/events/${id}`);
    const readAt = Date.now();
    await raiseLimitDirectly(id);

    const fromMemory = await testApp.http().get(`/events/${id}`);
    expect(fromMemory.body).toEqual(first.body);
    expect(fromMemory.headers['cache-control']).toBe(`public, max-age=${READ_CACHE_MS / 1000}`);

    await until(async () => (await stalls(id)).seats_limit === 11, READ_CACHE_MS * 2);
    expect(Date.now() - readAt).toBeGreaterThanOrEqual(READ_CACHE_MS - 100);
  });

  it('reads a missing answer once however many ask for it at once', async () => {
    const id = await newEvent();
    const reads = jest.spyOn(testApp.app.get(EventsService), 'findPublic');

    const answers = await Promise.all(Array.from({ length: 20 }, () => testApp.http().get(`/events/${id}`)));

    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((answer) => answer.headers.etag)).size).toBe(1);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('answers 304 from memory without touching the database', async () => {
    const id = await newEvent();
    const { etag } = (await testApp.http().get(`/events/${id}`)).headers as { etag: string };
    const reads = jest.spyOn(testApp.app.get(EventsService), 'findPublic');
    const queries = jest.spyOn(testApp.dataSource, 'query');

    const response = await testApp.http().get(`/events/${id}`).set('If-None-Match', etag);

    expect(response.status).toBe(304);
    expect(response.text).toBe('');
    expect(reads).not.toHaveBeenCalled();
    expect(queries).not.toHaveBeenCalled();
  });

  it('answers what it holds before the route handler runs', async () => {
    const id = await newEvent();
    await testApp.http().get(`/events/${id}`).expect(200);
    await testApp.http().get('/events?limit=3').expect(200);
    const handled = jest.spyOn(testApp.app.get(EventReads), 'event');
    const pages = jest.spyOn(testApp.app.get(EventReads), 'page');

    await testApp.http().get(`/events/${id}`).expect(200);
    await testApp.http().get('/events?limit=3').expect(200);

    expect(handled).not.toHaveBeenCalled();
    expect(pages).not.toHaveBeenCalled();
  });

  it('answers from memory with the headers a fresh answer has', async () => {
    const id = await newEvent();
    const fresh = await testApp.http().get(`/events/${id}`).set('X-Request-Id', 'first-read');
    const held = await testApp.http().get(`/events/${id}`).set('X-Request-Id', 'second-read');

    const differing = ['date', 'x-request-id'];
    const alike = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !differing.includes(name)));
    expect(alike(held.headers)).toEqual(alike(fresh.headers));
    expect([fresh.headers['x-request-id'], held.headers['x-request-id']]).toEqual(['first-read', 'second-read']);
    expect(held.headers['content-security-policy']).toBeDefined();
  });

  it.each([
    ['a booking', async (id: number) => void (await testApp.http().post(`/events/${id}/book`).send({ ticket_category: 'Stalls', quantity: 2 }).expect(201)), { seats_sold: 2 }],
    ['a hold', async (id: number) => void (await testApp.http().post(`/events/${id}/holds`).send({ ticket_category: 'Stalls', quantity: 3 }).expect(201)), { seats_held: 3 }],
  ])("drops the event's answer at once after %s on this instance", async (_write, write, expected) => {
    const id = await newEvent();
    await stalls(id);
    await write(id);
    expect(await stalls(id)).toMatchObject(expected);
  });

  it("drops the event's answer at once when a hold is confirmed or released, and a booking cancelled", async () => {
    const id = await newEvent();
    const confirmed = await testApp.http().post(`/events/${id}/holds`).send({ ticket_category: 'Stalls', quantity: 1 }).expect(201);
    const released = await testApp.http().post(`/events/${id}/holds`).send({ ticket_category: 'Stalls', quantity: 2 }).expect(201);
    expect(await stalls(id)).toMatchObject({ seats_sold: 0, seats_held: 3 });

    const booking = await testApp.http().post(`/holds/${confirmed.body.reference}/confirm`).expect(201);
    expect(await stalls(id)).toMatchObject({ seats_sold: 1, seats_held: 2 });
    await testApp.http().delete(`/holds/${released.body.reference}`).expect(204);
    expect(await stalls(id)).toMatchObject({ seats_sold: 1, seats_held: 0 });
    await testApp.http().post(`/bookings/${booking.body.reference}/cancel`).expect(200);
    expect(await stalls(id)).toMatchObject({ seats_sold: 0, seats_held: 0 });
  });

  it("drops the event's answer at once when its organiser changes or cancels it", async () => {
    const id = await newEvent();
    await stalls(id);
    await testApp.http().patch(`/events/${id}`).set('Authorization', organizerAuth).send({ ticket_categories: [{ name: 'Stalls', seats_limit: 20 }] }).expect(200);
    expect((await stalls(id)).seats_limit).toBe(20);

    await testApp.http().post(`/events/${id}/cancel`).set('Authorization', organizerAuth).expect(200);
    expect((await testApp.http().get(`/events/${id}`)).body.status).toBe('cancelled');
  });
});

describe('GET /events with READ_CACHE_MS', () => {
  const far = (days: number) => ({ date: inDays(3000 + days) });

  async function listed(limit: number, cursor?: string): Promise<PublicEvent[]> {
    const response = await testApp.http().get(`/events?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
    return response.body as PublicEvent[];
  }

  it('drops the list pages showing an event at once when it is booked', async () => {
    const id = await newEvent();
    const before = (await listed(100)).find((event) => event.id === id)!;
    await testApp.http().post(`/events/${id}/book`).send({ ticket_category: 'Stalls', quantity: 4 }).expect(201);
    const after = (await listed(100)).find((event) => event.id === id)!;
    expect([before.ticket_categories[0].seats_sold, after.ticket_categories[0].seats_sold]).toEqual([0, 4]);
  });

  it('shows a new event on the pages at once, and an event moved by a new date at its new place', async () => {
    const first = await newEvent(far(2));
    expect((await listed(100)).map((event) => event.id)).toContain(first);

    const second = await newEvent(far(1));
    const ids = (await listed(100)).map((event) => event.id);
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));

    await testApp.http().patch(`/events/${second}`).set('Authorization', organizerAuth).send(far(3)).expect(200);
    const moved = (await listed(100)).map((event) => event.id);
    expect(moved.indexOf(second)).toBeGreaterThan(moved.indexOf(first));
  });

  it('leaves a cancelled event off the pages at once', async () => {
    const id = await newEvent();
    expect((await listed(100)).map((event) => event.id)).toContain(id);
    await testApp.http().post(`/events/${id}/cancel`).set('Authorization', organizerAuth).expect(200);
    expect((await listed(100)).map((event) => event.id)).not.toContain(id);
  });

  it('answers a list page from memory with its Link header, and 304 to its ETag', async () => {
    await newEvent();
    await newEvent();
    const fresh = await testApp.http().get('/events?limit=1').expect(200);
    const held = await testApp.http().get('/events?limit=1').expect(200);
    const notModified = await testApp.http().get('/events?limit=1').set('If-None-Match', fresh.headers.etag);

    expect(held.headers.link).toBe(fresh.headers.link);
    expect(held.headers.link).toMatch(/^<\/events\?limit=1&cursor=[A-Za-z0-9_-]+>; rel="next"$/);
    expect(notModified.status).toBe(304);
    expect(notModified.headers.link).toBe(fresh.headers.link);
  });

  it('still refuses a request it holds no answer for, and never stores one that failed validation', async () => {
    await testApp.http().get('/events?limit=1').expect(200);
    const response = await testApp.http().get('/events?limit=1&sort=name');
    expect(response.status).toBe(400);
    expect((await testApp.http().get('/events?limit=1&sort=name')).status).toBe(400);
  });
});
