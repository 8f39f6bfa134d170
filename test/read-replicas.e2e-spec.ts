import { OwnMariaDb } from '../scripts/support/own-mariadb.js';
import { REPLICA_TIMEOUT_MS } from '../src/database/read-replicas.js';
import { categoryStates, createEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Where reads go with DATABASE_REPLICA_URLS set: a private primary and a replica following it by
 * binlog replication, so the replica can be made to lag (its SQL thread stopped) and killed.
 * SQLite has no replicas, so this runs on MySQL only.
 */
const describeOnMysql = process.env.TEST_DATABASE === 'mysql' ? describe : describe.skip;
const DATABASE = 'ticketing_test_replicas';

interface PublicEvent {
  ticket_categories: { name: string; seats_sold: number }[];
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function seatsSold(event: PublicEvent, category: string): number | undefined {
  return event.ticket_categories.find((each) => each.name === category)?.seats_sold;
}

describeOnMysql('public reads with a read replica (MySQL only: a private primary and replica)', () => {
  let primary: OwnMariaDb | undefined;
  let replica: OwnMariaDb | undefined;
  let testApp: TestApp;

  beforeAll(async () => {
    primary = await OwnMariaDb.createPrimary();
    replica = await OwnMariaDb.createReplicaOf(primary);
    // The database is created on the primary after the replica started following it: it replicates.
    testApp = await createTestApp({ DATABASE_URL: `${primary.url}/${DATABASE}`, DATABASE_REPLICA_URLS: `${replica.url}/${DATABASE}` });
  }, 120_000);

  afterAll(async () => {
    await testApp?.close();
    await replica?.destroy();
    await primary?.destroy();
  });

  async function caughtUpEvent(): Promise<{ id: number; [key: string]: unknown }> {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Stalls', price: 30, seats_limit: 10 }] });
    await replica!.catchUpWith(primary!);
    return event;
  }

  it('answers the public page and the list from the replica in the form the primary gives', async () => {
    const event = await caughtUpEvent();

    const one = await testApp.http().get(`/events/${event.id}`);
    const list = await testApp.http().get('/events?limit=100');

    expect(one.status).toBe(200);
    expect(one.body).toEqual(event);
    expect(list.body).toContainEqual(event);
  });

  it('books on the primary while the replica lags: the booking is visible by reference at once, the public page shows the older count', async () => {
    const event = await caughtUpEvent();
    await replica!.query('STOP SLAVE SQL_THREAD');
    try {
      const booking = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Stalls', quantity: 2 });
      expect(booking.status).toBe(201);

      const byReference = await testApp.http().get(`/bookings/${booking.body.reference}`);
      const owners = await testApp.http().get(`/events/${event.id}/bookings`).set('Authorization', organizerAuth);
      const publicPage = await testApp.http().get(`/events/${event.id}`);
      const list = await testApp.http().get('/events?limit=100');

      expect(byReference.status).toBe(200);
      expect(byReference.body.reference).toBe(booking.body.reference);
      expect((owners.body as { reference: string }[]).map((each) => each.reference)).toEqual([booking.body.reference]);
      expect((await categoryStates(testApp.dataSource, event.id))[0].seatsSold).toBe(2);
      expect(seatsSold(publicPage.body as PublicEvent, 'Stalls')).toBe(0);
      expect(seatsSold((list.body as (PublicEvent & { id: number })[]).find((each) => each.id === event.id)!, 'Stalls')).toBe(0);
    } finally {
      await replica!.query('START SLAVE SQL_THREAD');
    }
    await replica!.catchUpWith(primary!);
    expect(seatsSold((await testApp.http().get(`/events/${event.id}`)).body as PublicEvent, 'Stalls')).toBe(2);
  });

  it('decides writes by the primary: a category added while the replica lags can be booked at once', async () => {
    const event = await caughtUpEvent();
    await replica!.query('STOP SLAVE SQL_THREAD');
    try {
      const patch = await testApp
        .http()
        .patch(`/events/${event.id}`)
        .set('Authorization', organizerAuth)
        .send({ ticket_categories: [{ name: 'Balcony', price: 20, seats_limit: 5 }] });
      expect(patch.status).toBe(200);

      const booking = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Balcony', quantity: 1 });
      const hold = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Balcony', quantity: 1 });
      const confirmed = await testApp.http().post(`/holds/${hold.body.reference}/confirm`);
      const publicPage = await testApp.http().get(`/events/${event.id}`);

      expect(booking.status).toBe(201);
      expect(hold.status).toBe(201);
      expect(confirmed.status).toBe(201);
      expect((publicPage.body as PublicEvent).ticket_categories.map((category) => category.name)).toEqual(['Stalls']);
    } finally {
      await replica!.query('START SLAVE SQL_THREAD');
    }
  });

  it('skips a replica that stops answering within a second, and reads it again once it answers', async () => {
    const event = await caughtUpEvent();
    const replicaLabel = `db_replica_up{replica="127.0.0.1:${replica!.port}"}`;
    await replica!.freeze();
    try {
      const startedAt = Date.now();
      const whileHung = await testApp.http().get(`/events/${event.id}`);
      const firstMs = Date.now() - startedAt;
      const next = Date.now();
      await testApp.http().get(`/events/${event.id}`).expect(200);
      const nextMs = Date.now() - next;

      expect(whileHung.status).toBe(200);
      // The read that found the replica silent waited out its bound (1 s), then ran on the primary.
      expect(firstMs).toBeGreaterThanOrEqual(REPLICA_TIMEOUT_MS - 5);
      expect(firstMs).toBeLessThan(REPLICA_TIMEOUT_MS + 500);
      expect(nextMs).toBeLessThan(500);
      expect((await testApp.http().get('/metrics')).text).toContain(`${replicaLabel} 0`);
    } finally {
      replica!.thaw();
    }
    await until(async () => (await testApp.http().get('/metrics')).text.includes(`${replicaLabel} 1`));
  });

  it('reads the primary within a second once the replica is killed, and reports it down', async () => {
    const event = await caughtUpEvent();
    await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Stalls', quantity: 3 }).expect(201);
    const replicaLabel = `db_replica_up{replica="127.0.0.1:${replica!.port}"}`;
    expect((await testApp.http().get('/metrics')).text).toContain(`${replicaLabel} 1`);

    await replica!.kill();
    const startedAt = Date.now();
    const afterKill = await testApp.http().get(`/events/${event.id}`);
    const elapsedMs = Date.now() - startedAt;

    expect(afterKill.status).toBe(200);
    expect(seatsSold(afterKill.body as PublicEvent, 'Stalls')).toBe(3);
    expect(elapsedMs).toBeLessThan(1000);
    expect((await testApp.http().get('/events?limit=100')).status).toBe(200);
    expect((await testApp.http().get('/metrics')).text).toContain(`${replicaLabel} 0`);
    expect((await testApp.http().get('/health/ready')).status).toBe(200);
  });
});
