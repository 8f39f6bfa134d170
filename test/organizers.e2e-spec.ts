import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hashSecretKey } from '../src/common/secret-keys.js';
import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { createEvent, eventBody, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { TEST_ORGANIZER_API_KEY } from './support/organizer-key.js';

const run = promisify(execFile);
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

/** The organiser command-line tool, on this spec's database, as `npm run --silent organizers --` runs it. */
async function organizersCli(...args: string[]): Promise<string> {
  const { stdout } = await run('node', ['node_modules/tsx/dist/cli.mjs', 'src/cli/organizers.ts', ...args], {
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
  });
  return stdout;
}

/** Every route that needs an organiser key, with a request it would accept from the owner. */
function protectedRequests(eventId: number) {
  return [
    { name: 'POST /events', send: (auth?: string) => withAuth(testApp.http().post('/events'), auth).send(eventBody()) },
    { name: 'PATCH /events/:id', send: (auth?: string) => withAuth(testApp.http().patch(`/events/${eventId}`), auth).send({ venue: 'Hall B' }) },
    { name: 'POST /events/:id/cancel', send: (auth?: string) => withAuth(testApp.http().post(`/events/${eventId}/cancel`), auth) },
    { name: 'GET /events/:id/bookings', send: (auth?: string) => withAuth(testApp.http().get(`/events/${eventId}/bookings`), auth) },
  ];
}

function withAuth<T extends { set: (name: string, value: string) => T }>(request: T, auth?: string): T {
  return auth === undefined ? request : request.set('Authorization', auth);
}

describe('organiser API keys', () => {
  it.each(['missing', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer two words', `bearer ${TEST_ORGANIZER_API_KEY}`])(
    'answers 401 UNAUTHORIZED with WWW-Authenticate on every protected endpoint when the header is %s',
    async (header) => {
      const event = await createEvent(testApp);
      for (const request of protectedRequests(event.id)) {
        const response = await request.send(header === 'missing' ? undefined : header);
        expect({ route: request.name, status: response.status, code: response.body.code }).toEqual({
          route: request.name,
          status: 401,
          code: 'UNAUTHORIZED',
        });
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm=/);
      }
    },
  );

  it('answers 401 for an unknown key, saying the token is invalid', async () => {
    const event = await createEvent(testApp);
    for (const request of protectedRequests(event.id)) {
      const response = await request.send('Bearer tk_thisKeyWasNeverIssuedToAnyoneAtAll0123456789');
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    }
  });

  it("answers 404 EVENT_NOT_FOUND for another organiser's event, as if it did not exist, and changes nothing", async () => {
    const event = await createEvent(testApp);
    const otherKey = await testApp.app.get(ApiKeyStore).createOrganizer(`rival-${event.id}`);
    for (const request of protectedRequests(event.id).slice(1)) {
      const response = await request.send(`Bearer ${otherKey}`);
      expect({ route: request.name, status: response.status, code: response.body.code }).toEqual({
        route: request.name,
        status: 404,
        code: 'EVENT_NOT_FOUND',
      });
    }
    const unchanged = await testApp.http().get(`/events/${event.id}`);
    expect(unchanged.body).toMatchObject({ venue: 'Stadium A', status: 'scheduled' });
  });

  it('records the creating organiser as the owner', async () => {
    const key = await testApp.app.get(ApiKeyStore).createOrganizer('owner-check');
    const created = await testApp.http().post('/events').set('Authorization', `Bearer ${key}`).send(eventBody());
    expect(created.status).toBe(201);
    expect((await testApp.http().patch(`/events/${created.body.id}`).set('Authorization', `Bearer ${key}`).send({ name: 'Mine' })).status).toBe(200);
    expect((await testApp.http().patch(`/events/${created.body.id}`).set('Authorization', organizerAuth).send({ name: 'Theirs' })).status).toBe(404);
  });

  it('stores only a SHA-256 of each key, never the key', async () => {
    const rows: { key_hash: string; key_prefix: string }[] = await testApp.dataSource.query('SELECT key_hash, key_prefix FROM api_keys');
    const serialised = JSON.stringify(rows);
    expect(serialised).not.toContain(TEST_ORGANIZER_API_KEY);
    expect(rows.map((row) => row.key_hash)).toContain(hashSecretKey(TEST_ORGANIZER_API_KEY));
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.key_hash))).toBe(true);
  });

  it('bootstraps the organiser "default" owning ORGANIZER_API_KEY', async () => {
    const organizers = await testApp.app.get(ApiKeyStore).list();
    const bootstrap = organizers.find((organizer) => organizer.name === 'default');
    expect(bootstrap?.keys.map((key) => key.prefix)).toContain(TEST_ORGANIZER_API_KEY.slice(0, 11));
  });

  it('stops accepting a key the moment it is revoked, while the organiser’s other keys keep working', async () => {
    const cliKey = (await organizersCli('create', 'box-office')).trim();
    expect(cliKey).toMatch(/^tk_[A-Za-z0-9_-]{43}$/);
    const secondKey = (await organizersCli('key', 'box-office')).trim();
    const created = await testApp.http().post('/events').set('Authorization', `Bearer ${cliKey}`).send(eventBody());
    expect(created.status).toBe(201);

    await organizersCli('revoke', cliKey.slice(0, 11));

    const afterRevoke = await testApp.http().patch(`/events/${created.body.id}`).set('Authorization', `Bearer ${cliKey}`).send({ name: 'x' });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.code).toBe('UNAUTHORIZED');
    const withOtherKey = await testApp.http().patch(`/events/${created.body.id}`).set('Authorization', `Bearer ${secondKey}`).send({ name: 'Still mine' });
    expect(withOtherKey.status).toBe(200);

    const listing = await organizersCli('list');
    expect(listing).toContain('box-office');
    expect(listing).toMatch(/revoked \d{4}-/);
    expect(listing).not.toContain(cliKey);
    expect(listing).not.toContain(secondKey);
  }, 60_000);

  it('keeps reading, booking, holds, confirming and cancelling by reference public', async () => {
    const event = await createEvent(testApp);
    expect((await testApp.http().get('/events')).status).toBe(200);
    expect((await testApp.http().get(`/events/${event.id}`)).status).toBe(200);
    const booking = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'General', quantity: 1 });
    expect(booking.status).toBe(201);
    const hold = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'General', quantity: 1 });
    expect(hold.status).toBe(201);
    expect((await testApp.http().post(`/holds/${hold.body.reference}/confirm`)).status).toBe(201);
    expect((await testApp.http().get(`/bookings/${booking.body.reference}`)).status).toBe(200);
    expect((await testApp.http().post(`/bookings/${booking.body.reference}/cancel`)).status).toBe(200);
  });
});
