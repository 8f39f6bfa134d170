import { jest } from '@jest/globals';
import { EventsService } from '../src/events/events.service.js';
import { createEvent } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  testApp = await createTestApp(
    { LOG_LEVEL: 'info' },
    { logDestination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) } },
  );
});

afterAll(async () => {
  await testApp.close();
});

function requestLines(): Record<string, unknown>[] {
  return logLines.filter((line) => line.route !== undefined);
}

describe('request ids and request logs', () => {
  it('echoes a sane X-Request-Id and logs one line with method, route, status, duration and that id', async () => {
    const response = await testApp.http().get('/events/12345').set('X-Request-Id', 'trace-abc.1');

    expect(response.status).toBe(404);
    expect(response.headers['x-request-id']).toBe('trace-abc.1');
    const lines = requestLines().filter((line) => line.request_id === 'trace-abc.1');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, method: 'GET', route: '/events/:id', status: 404, duration_ms: expect.any(Number), msg: 'request completed' }),
    ]);
  });

  it('replaces an X-Request-Id that is not sane with a generated one', async () => {
    const response = await testApp.http().get('/events').set('X-Request-Id', 'no spaces "or quotes"');

    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a 500 with an error_id that its log line carries with the stack', async () => {
    jest.spyOn(testApp.app.get(EventsService), 'findPublic').mockRejectedValueOnce(new Error('disk on fire'));

    const response = await testApp.http().get('/events/1');

    expect(response.status).toBe(500);
    expect(response.body).toEqual(expect.objectContaining({ code: 'INTERNAL_ERROR', error_id: expect.any(String) }));
    expect(JSON.stringify(response.body)).not.toContain('disk on fire');
    const line = requestLines().find((each) => each.error_id === response.body.error_id);
    expect(line).toEqual(
      expect.objectContaining({
        level: 50,
        route: '/events/:id',
        status: 500,
        request_id: response.headers['x-request-id'],
        err: expect.objectContaining({ message: 'disk on fire', stack: expect.stringContaining('Error: disk on fire') }),
      }),
    );
  });

  it("logs a failed statement with placeholders and the driver's codes, never its values, on either database", async () => {
    const email = 'ada.private@example.com';
    const insert = 'INSERT INTO organizers (name, created_at) VALUES (?, ?)';
    jest.spyOn(testApp.app.get(EventsService), 'findPublic').mockImplementationOnce(() => testApp.dataSource.query(insert, [email, null]));

    const response = await testApp.http().get('/events/1');

    expect(response.status).toBe(500);
    const line = requestLines().find((each) => each.error_id === response.body.error_id);
    expect(line?.err).toEqual(
      expect.objectContaining({ type: 'QueryFailedError', statement: insert, code: expect.stringMatching(/^(ER_BAD_NULL_ERROR|SQLITE_CONSTRAINT_NOTNULL)$/), stack: expect.any(String) }),
    );
    expect(JSON.stringify(line)).not.toContain('ada.private');
    expect(JSON.stringify(logLines)).not.toContain('ada.private');
  });

  it('does not log health probes or metric scrapes', async () => {
    const before = requestLines().length;
    await testApp.http().get('/health/live').expect(200);
    await testApp.http().get('/health/ready').expect(200);
    await testApp.http().get('/metrics').expect(200);
    expect(requestLines()).toHaveLength(before);
  });
});

describe('GET /metrics', () => {
  it('counts requests by route and status, bookings by outcome, lock retries and pool use', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Only', price: 10, seats_limit: 1 }] });
    await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Only', quantity: 1 }).expect(201);
    await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Only', quantity: 1 }).expect(409);

    const response = await testApp.http().get('/metrics').expect(200);

    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toContain('http_requests_total{method="POST",route="/events/:id/book",status="201"} 1');
    expect(response.text).toContain('http_request_duration_seconds_count{method="POST",route="/events/:id/book",status="409"} 1');
    expect(response.text).toContain('bookings_total{outcome="created"} 1');
    expect(response.text).toContain('bookings_total{outcome="sold_out"} 1');
    expect(response.text).toContain('db_lock_retries_total 0');
    expect(response.text).toMatch(/^db_pool_connections_in_use \d+$/m);
  });
});

describe('GET /health/live and /health/ready', () => {
  it('reports the process alive and the database up', async () => {
    await testApp.http().get('/health/live').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    const ready = await testApp.http().get('/health/ready').expect(200);
    expect(ready.body.details.database.status).toBe('up');
  });

  it('answers readiness with 503 once the database does not answer, liveness still 200', async () => {
    await testApp.dataSource.destroy();

    const ready = await testApp.http().get('/health/ready');

    expect(ready.status).toBe(503);
    expect(ready.body).toEqual(expect.objectContaining({ status: 'error', error: { database: expect.objectContaining({ status: 'down' }) } }));
    await testApp.http().get('/health/live').expect(200);
  });
});
