import { createEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { TEST_ORGANIZER_API_KEY } from './support/organizer-key.js';

const LIMIT = 5;
const ALLOWED_ORIGIN = 'https://shop.example.com';
let testApp: TestApp;
const logText: string[] = [];

beforeAll(async () => {
  testApp = await createTestApp(
    { RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUSTED_PROXIES: '1', CORS_ORIGINS: ALLOWED_ORIGIN, LOG_LEVEL: 'debug' },
    { logDestination: { write: (line: string) => void logText.push(line) } },
  );
});

afterAll(async () => {
  await testApp.close();
});

/** Behind one trusted proxy, the client is the address that proxy appended to X-Forwarded-For. */
function bookFrom(client: string, eventId: number) {
  return testApp
    .http()
    .post(`/events/${eventId}/book`)
    .set('X-Forwarded-For', client)
    .send({ ticket_category: 'General', quantity: 1, customer_email: 'private.person@example.com' });
}

describe('rate limits on public writes', () => {
  it(`answers 429 RATE_LIMITED with Retry-After after ${LIMIT} writes a minute from one client, and only for that client`, async () => {
    const event = await createEvent(testApp);

    const allowed = [];
    for (let i = 0; i < LIMIT; i++) allowed.push(await bookFrom('203.0.113.7', event.id));
    const limited = await bookFrom('203.0.113.7', event.id);
    const holdLimited = await testApp.http().post(`/events/${event.id}/holds`).set('X-Forwarded-For', '203.0.113.7').send({ ticket_category: 'General', quantity: 1 });
    const waitlistLimited = await testApp.http().post(`/events/${event.id}/waitlist`).set('X-Forwarded-For', '203.0.113.7').send({ ticket_category: 'General', quantity: 1, customer_email: 'ada@example.com' });
    const otherClient = await bookFrom('198.51.100.23', event.id);

    expect(allowed.map((response) => response.status)).toEqual(Array(LIMIT).fill(201));
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'RATE_LIMITED' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(holdLimited.status).toBe(429);
    expect(waitlistLimited.body.code).toBe('RATE_LIMITED');
    expect(otherClient.status).toBe(201);
    const [{ n }] = await testApp.dataSource.query('SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?', [event.id]);
    expect(Number(n)).toBe(LIMIT + 1);
  });

  it('counts writes whose X-Forwarded-For is no IP address under the connection address, however the text varies', async () => {
    const event = await createEvent(testApp);
    const statuses = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await bookFrom(i % 2 === 0 ? `not-an-ip-${i}` : `${'x'.repeat(8_000)}${i}`, event.id)).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(201), 429]);
  });

  it('leaves reads, organiser writes and health probes unlimited', async () => {
    for (let i = 0; i < LIMIT + 3; i++) {
      expect((await testApp.http().get('/events').set('X-Forwarded-For', '192.0.2.99')).status).toBe(200);
      expect((await testApp.http().get('/health/live').set('X-Forwarded-For', '192.0.2.99')).status).toBe(200);
    }
    const event = await createEvent(testApp);
    for (let i = 0; i < LIMIT + 1; i++) {
      const response = await testApp.http().patch(`/events/${event.id}`).set('X-Forwarded-For', '192.0.2.99').set('Authorization', organizerAuth).send({ name: `Rename ${i}` });
      expect(response.status).toBe(200);
    }
  });
});

describe('the edge', () => {
  it('sends security headers and no X-Powered-By', async () => {
    const response = await testApp.http().get('/events');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers CORS only for the listed origins', async () => {
    const allowed = await testApp.http().options('/events').set('Origin', ALLOWED_ORIGIN).set('Access-Control-Request-Method', 'POST');
    const other = await testApp.http().get('/events').set('Origin', 'https://evil.example.net');
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a listed origin send If-None-Match and read the ETag', async () => {
    const preflight = await testApp.http().options('/events').set('Origin', ALLOWED_ORIGIN).set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'if-none-match');
    const read = await testApp.http().get('/events').set('Origin', ALLOWED_ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/If-None-Match/i);
    expect(read.headers['access-control-expose-headers']).toMatch(/ETag/);
  });

  it('leaks no stack trace, SQL or versions in error answers', async () => {
    const responses = [await testApp.http().get('/events/99999999'), await testApp.http().get('/nowhere')];
    for (const response of responses) {
      const text = JSON.stringify(response.body) + JSON.stringify(response.headers);
      expect(text).not.toMatch(/\bat .+\.(ts|js):\d+|SELECT |INSERT |QueryFailedError|node_modules|fastify\/\d|nestjs\/\d/i);
      expect(Object.keys(response.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
    }
  });

  // Known bug, found by the response check: with CORS_ORIGINS set (as here), a body that is not
  // JSON is answered by Fastify's default error handler ({"code":"FST_ERR_CTP_INVALID_JSON_BODY",…}),
  // not in the API's error shape. Without CORS it is MALFORMED_JSON (bad-input.e2e-spec.ts). This
  // test passes while the bug is there and fails once it is fixed: then make it an it().
  it.failing('answers a malformed JSON body in the error shape when CORS is on', async () => {
    await testApp.http().post('/events/1/book').set('Content-Type', 'application/json').send('{"broken').expect(400);
  });

  it('never writes API keys or customer e-mails to the logs', async () => {
    await createEvent(testApp);
    await testApp.http().get('/events/1/bookings').set('Authorization', organizerAuth);
    const logs = logText.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('request completed');
    expect(logs).not.toContain(TEST_ORGANIZER_API_KEY);
    expect(logs).not.toContain('private.person@example.com');
  });
});
