import { OwnMariaDb } from '../scripts/support/own-mariadb.js';
import { MAX_PAGE_SIZE } from '../src/events/dto/list-events.query.js';
import { PREPARED_STATEMENTS_PER_CONNECTION } from '../src/database/data-source-options.js';
import { createEvent } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Pooled reads are prepared statements on MySQL, each connection keeping the most recently used
 * PREPARED_STATEMENTS_PER_CONNECTION (see BuiltQuery). Every page size is a statement of its own,
 * so walking them all on a pool of two connections closes and prepares statements again and again:
 * the answers must not notice. On MySQL the app runs on a private server, whose count of prepared
 * statements is then the app's alone. On SQLite the same requests take the same path as always.
 */
const onMysql = process.env.TEST_DATABASE === 'mysql';
const POOL_SIZE = 2;
const EVENTS = 3;
let server: OwnMariaDb | undefined;
let testApp: TestApp;

beforeAll(async () => {
  server = onMysql ? await OwnMariaDb.create() : undefined;
  testApp = await createTestApp({ DATABASE_POOL_SIZE: String(POOL_SIZE), ...(server ? { DATABASE_URL: `${server.url}/ticketing_test_prepared` } : {}) });
  for (let i = 0; i < EVENTS; i++) await createEvent(testApp, { name: `Prepared ${i}`, ticket_categories: [{ name: 'Stalls', price: 30, seats_limit: 10 }] });
}, 120_000);

afterAll(async () => {
  await testApp?.close();
  await server?.destroy();
});

function names(page: unknown): string[] {
  return (page as { name: string }[]).map((event) => event.name);
}

async function preparedOnServer(): Promise<number> {
  const [row] = await server!.rows("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'");
  return Number(row.Value);
}

describe('pooled reads across more statement shapes than a connection keeps prepared', () => {
  it('answers every page size right, from the start and from a cursor, then the first ones again once they were closed', async () => {
    expect(2 * MAX_PAGE_SIZE).toBeGreaterThan(POOL_SIZE * PREPARED_STATEMENTS_PER_CONNECTION);
    const first = await testApp.http().get('/events?limit=1').expect(200);
    const cursor = /[?&]cursor=([^&>]+)/.exec(String(first.headers.link))?.[1];
    expect(cursor).toBeDefined();
    const limits = [...Array.from({ length: MAX_PAGE_SIZE }, (_, i) => i + 1), 1, 2, 3];

    for (const limit of limits) {
      const fromStart = await testApp.http().get(`/events?limit=${limit}`);
      const afterFirst = await testApp.http().get(`/events?limit=${limit}&cursor=${cursor}`);
      expect([fromStart.status, afterFirst.status]).toEqual([200, 200]);
      expect(names(fromStart.body)).toEqual(['Prepared 0', 'Prepared 1', 'Prepared 2'].slice(0, limit));
      expect(names(afterFirst.body)).toEqual(['Prepared 1', 'Prepared 2'].slice(0, limit));
    }
    if (onMysql) {
      const prepared = await preparedOnServer();
      expect(prepared).toBeGreaterThanOrEqual(PREPARED_STATEMENTS_PER_CONNECTION);
      expect(prepared).toBeLessThanOrEqual(POOL_SIZE * PREPARED_STATEMENTS_PER_CONNECTION);
    }
  }, 60_000);

  it('reads an event, and one that does not exist, the same way after the pages', async () => {
    const [first] = (await testApp.http().get('/events?limit=1').expect(200)).body as { id: number }[];

    expect((await testApp.http().get(`/events/${first.id}`)).body).toMatchObject({ id: first.id, name: 'Prepared 0' });
    expect((await testApp.http().get(`/events/${first.id + 1000}`)).body).toMatchObject({ code: 'EVENT_NOT_FOUND' });
  });
});
