import { createConnection, type Connection } from 'mysql2/promise';
import { categoryStates, createEvent } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Row locks exist only on MySQL/MariaDB; SQLite serialises whole write transactions instead,
 * so there is no foreign lock to wait on there.
 */
const describeOnMysql = process.env.TEST_DATABASE === 'mysql' ? describe : describe.skip;

describeOnMysql('a booking that waits on a locked category', () => {
  let testApp: TestApp;
  let blocker: Connection;

  beforeAll(async () => {
    testApp = await createTestApp({ LOCK_WAIT_TIMEOUT_SECONDS: '1' });
    if (testApp.database.kind !== 'mysql') throw new Error('expected MySQL');
    const { host, port, username, password, database } = testApp.database;
    blocker = await createConnection({ host, port, user: username, password, database });
  });

  afterAll(async () => {
    await blocker.end();
    await testApp.close();
  });

  it('answers 503 BUSY_TRY_AGAIN with Retry-After within the lock wait bound, then succeeds once the row is free', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Hot', price: 10, seats_limit: 5 }] });
    await blocker.query('START TRANSACTION');
    await blocker.query('SELECT id FROM ticket_categories WHERE event_id = ? FOR UPDATE', [event.id]);

    const startedAt = Date.now();
    const blocked = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Hot', quantity: 1 });
    const waitedMs = Date.now() - startedAt;
    await blocker.query('ROLLBACK');

    expect(blocked.status).toBe(503);
    expect(blocked.body.code).toBe('BUSY_TRY_AGAIN');
    expect(blocked.headers['retry-after']).toBe('1');
    expect(waitedMs).toBeLessThan(3_000);
    expect(await categoryStates(testApp.dataSource, event.id)).toEqual([{ name: 'Hot', seatsLimit: 5, seatsSold: 0, bookedQuantity: 0 }]);

    const retried = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Hot', quantity: 1 });
    expect(retried.status).toBe(201);
  });
});
