import type { Logger, QueryRunner } from 'typeorm';
import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { categoryStates, createEvent, eventBody } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const describeOnMysql = process.env.TEST_DATABASE === 'mysql' ? describe : describe.skip;

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
});

afterAll(async () => {
  await testApp?.close();
});

/**
 * Every statement the seat ledger's pipeline sends while `work` runs, one entry per round trip.
 * The pipeline logs without a query runner; TypeORM's runners (the webhook worker's rounds and the
 * sweep in the background, which may overlap the booking) log with theirs and are left out.
 */
async function queriesDuring(work: () => Promise<unknown>): Promise<string[]> {
  const { dataSource } = testApp;
  const logger = dataSource.logger;
  const sent: string[] = [];
  dataSource.logger = new Proxy(logger, {
    get: (target, property: keyof Logger) =>
      property === 'logQuery'
        ? (query: string, parameters?: unknown[], runner?: QueryRunner) => {
            if (runner === undefined) sent.push(query);
            return target.logQuery(query, parameters, runner);
          }
        : target[property],
  });
  try {
    await work();
  } finally {
    dataSource.logger = logger;
  }
  return sent;
}

describeOnMysql('a booking on MySQL', () => {
  it('takes two round trips in its transaction: START TRANSACTION with the lock and the read of who listens, then the counter UPDATE, the INSERTs of booking, line and tickets, and COMMIT together', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Stalls', price: 30, seats_limit: 10 }] });

    const sent = await queriesDuring(async () => {
      const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Stalls', quantity: 2 });
      expect(response.status).toBe(201);
    });

    const transaction = sent.slice(sent.findIndex((query) => query.startsWith('START TRANSACTION')));
    expect(transaction).toHaveLength(2);
    expect(transaction[0]).toMatch(/^START TRANSACTION;\n(SET SESSION innodb_lock_wait_timeout = \d+;\n)?SELECT [^;]+ FOR UPDATE;\nSELECT EXISTS [^;]+ LOCK IN SHARE MODE$/);
    expect(transaction[1]).toMatch(/^UPDATE `ticket_categories` [^;]+;\nINSERT INTO `bookings` [^;]+;\nINSERT INTO `order_lines` [^;]+;\nINSERT INTO `tickets` [^;]+;\nCOMMIT$/);
    expect(await categoryStates(testApp.dataSource, event.id)).toEqual([{ name: 'Stalls', seatsLimit: 10, seatsSold: 2, bookedQuantity: 2 }]);
  });

  it('sends the outbox message with the COMMIT when the organiser has an active webhook', async () => {
    const auth = `Bearer ${await testApp.app.get(ApiKeyStore).createOrganizer(`round-trips-${Date.now()}`)}`;
    expect((await testApp.http().post('/webhooks').set('Authorization', auth).send({ url: 'http://127.0.0.1:9/hook' })).status).toBe(201);
    const event = await testApp.http().post('/events').set('Authorization', auth).send(eventBody());

    const sent = await queriesDuring(async () => {
      const response = await testApp.http().post(`/events/${event.body.id as number}/book`).send({ ticket_category: 'General', quantity: 1 });
      expect(response.status).toBe(201);
    });

    const transaction = sent.slice(sent.findIndex((query) => query.startsWith('START TRANSACTION')));
    expect(transaction).toHaveLength(2);
    expect(transaction[1]).toMatch(/^UPDATE `ticket_categories` [^;]+;\nINSERT INTO `bookings` [^;]+;\nINSERT INTO `order_lines` [^;]+;\nINSERT INTO `tickets` [^;]+;\nINSERT INTO `outbox_messages` [^;]+;\nCOMMIT$/);
  });

  it('rolls back the lock round trip when the seats do not fit, and sends no writes', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Box', price: 90, seats_limit: 1 }] });

    const sent = await queriesDuring(async () => {
      const response = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Box', quantity: 1 });
      expect(response.status).toBe(201);
      const refused = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Box', quantity: 1 });
      expect(refused.body.code).toBe('SOLD_OUT');
    });

    expect(sent.filter((query) => query.includes('INSERT INTO `bookings`'))).toHaveLength(1);
    expect(sent.at(-1)).toBe('ROLLBACK');
    expect(await categoryStates(testApp.dataSource, event.id)).toEqual([{ name: 'Box', seatsLimit: 1, seatsSold: 1, bookedQuantity: 1 }]);
  });

  it('sends a coalesced batch with its COMMIT: counter update, multi-row INSERTs of bookings, lines and tickets, read of the new ids', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Floor', price: 20, seats_limit: 100 }] });

    const sent = await queriesDuring(async () => {
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Floor', quantity: 1 })),
      );
      expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 20 }, () => 201));
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(20);
    });

    const batchCommits = sent.filter((query) =>
      /^UPDATE `ticket_categories` [^;]+;\nINSERT INTO `bookings` [^;]+\), \([^;]+;\nINSERT INTO `order_lines` [^;]+\), \([^;]+;\nINSERT INTO `tickets` [^;]+\), \([^;]+;\nSELECT [^;]+ IN \([^;]+;\nCOMMIT$/.test(query),
    );
    expect(batchCommits.length).toBeGreaterThan(0);
    expect(await categoryStates(testApp.dataSource, event.id)).toEqual([{ name: 'Floor', seatsLimit: 100, seatsSold: 20, bookedQuantity: 20 }]);
  });

  it("runs each booking of a failed batch again on its own, so one buyer's unstorable data fails only that buyer", async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Pit', price: 20, seats_limit: 100 }] });
    await testApp.dataSource.query(
      "CREATE TRIGGER refuse_unstorable BEFORE INSERT ON bookings FOR EACH ROW BEGIN IF NEW.customer_name = 'unstorable' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END",
    );
    try {
      const names = Array.from({ length: 20 }, (_, i) => (i === 10 ? 'unstorable' : `Buyer ${i}`));
      const responses = await Promise.all(names.map((name) => testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Pit', quantity: 1, customer_name: name })));

      expect(responses.map((response) => response.status)).toEqual(names.map((name) => (name === 'unstorable' ? 500 : 201)));
      expect(await categoryStates(testApp.dataSource, event.id)).toEqual([{ name: 'Pit', seatsLimit: 100, seatsSold: 19, bookedQuantity: 19 }]);
    } finally {
      await testApp.dataSource.query('DROP TRIGGER refuse_unstorable');
    }
  });
});
