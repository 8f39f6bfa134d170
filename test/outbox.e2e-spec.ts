import { messageBody, OutboxMessage } from '../src/outbox/outbox-message.entity.js';
import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { LISTENING_WEBHOOK_STATUS, listeningStatement } from '../src/outbox/announcements.js';
import { WebhookStatus } from '../src/webhooks/webhook-endpoint.entity.js';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository.js';
import { createEvent, eventBody, organizerAuth } from './support/fixtures.js';
import { listenAsOrganiser } from './support/api-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * What the API's changes leave in the outbox: one message per change, written by the change's own
 * transaction, its data the JSON the API answered for the resource.
 */
let testApp: TestApp;
const itOnMysql = process.env.TEST_DATABASE === 'mysql' ? it : it.skip;

beforeAll(async () => {
  testApp = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  await listenAsOrganiser(await testApp.app.getUrl());
});

afterAll(async () => {
  await testApp.close();
});

async function messagesOf(eventId: number): Promise<{ type: string; data: unknown }[]> {
  const messages = await testApp.dataSource.getRepository(OutboxMessage).find({ where: { eventId }, order: { id: 'ASC' } });
  return messages.map((message) => ({ type: message.type, data: (JSON.parse(messageBody(message)) as { data: unknown }).data }));
}

async function newMessagesOf(eventId: number, seen: number): Promise<{ type: string; data: unknown }[]> {
  return (await messagesOf(eventId)).slice(seen);
}

describe('the outbox', () => {
  it("holds each change of an event as the organiser's API answered it", async () => {
    const created = await createEvent(testApp, { ticket_categories: [{ name: 'VIP', price: 150, seats_limit: 50, seats_sold: 5 }] });
    expect(await messagesOf(created.id)).toEqual([{ type: 'event.created', data: created }]);

    const updated = await testApp.http().patch(`/events/${created.id}`).set('Authorization', organizerAuth).send({ venue: 'Hall B' });
    expect(updated.status).toBe(200);
    const refused = await testApp.http().patch(`/events/${created.id}`).set('Authorization', organizerAuth).send({ ticket_categories: [{ name: 'VIP', price: 150, seats_limit: 4 }] });
    expect(refused.status).toBe(409);
    const cancelled = await testApp.http().post(`/events/${created.id}/cancel`).set('Authorization', organizerAuth);
    expect(cancelled.status).toBe(200);

    expect(await newMessagesOf(created.id, 1)).toEqual([
      { type: 'event.updated', data: updated.body },
      { type: 'event.cancelled', data: cancelled.body },
    ]);
  });

  it('holds a booking, its cancellation and a check-in as the API answered them, and nothing of a refusal', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'VIP', price: 150, seats_limit: 2 }] });
    const booked = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 1, customer_name: 'Ada' });
    expect(booked.status).toBe(201);
    const refused = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 2 });
    expect(refused.status).toBe(409);

    const key = await testApp.http().post(`/events/${event.id}/scanner-keys`).set('Authorization', organizerAuth);
    const checkedIn = await testApp.http().post(`/events/${event.id}/check-ins`).set('Authorization', `Bearer ${key.body.key as string}`).send({ code: booked.body.tickets[0].code });
    expect(checkedIn.status).toBe(200);
    const again = await testApp.http().post(`/events/${event.id}/check-ins`).set('Authorization', `Bearer ${key.body.key as string}`).send({ code: booked.body.tickets[0].code });
    expect(again.status).toBe(409);

    const second = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 1 });
    const cancelled = await testApp.http().post(`/bookings/${second.body.reference as string}/cancel`);
    expect(cancelled.status).toBe(200);

    const messages = await newMessagesOf(event.id, 1);
    expect(messages.map((message) => message.type)).toEqual(['booking.confirmed', 'ticket.checked_in', 'booking.confirmed', 'category.sold_out', 'booking.cancelled']);
    expect(messages[0].data).toEqual(booked.body);
    const ticket = await testApp.http().get(`/tickets/${booked.body.tickets[0].code as string}`);
    expect(messages[1].data).toEqual(ticket.body);
    expect(messages[2].data).toEqual(second.body);
    expect(messages[3].data).toEqual({ event: expect.objectContaining({ id: event.id, sold_out: true }), ticket_category: 'VIP' });
    expect(messages[4].data).toEqual(cancelled.body);
  });

  it('holds a hold, its confirmation and its release as the API answered them', async () => {
    const event = await createEvent(testApp);
    const held = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'General', quantity: 2 });
    expect(held.status).toBe(201);
    const confirmed = await testApp.http().post(`/holds/${held.body.reference as string}/confirm`).send({ customer_name: 'Ada' });
    expect(confirmed.status).toBe(201);
    const released = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'VIP', quantity: 1 });
    expect((await testApp.http().delete(`/holds/${released.body.reference as string}`)).status).toBe(204);

    expect(await newMessagesOf(event.id, 1)).toEqual([
      { type: 'hold.created', data: held.body },
      { type: 'booking.confirmed', data: confirmed.body },
      { type: 'hold.created', data: released.body },
      { type: 'hold.released', data: released.body },
    ]);
  });
});

/** A booking or a hold as the API answers it, as far as these tests read it. */
interface Made {
  reference: string;
  tickets?: { code: string }[];
}

describe('who listens', () => {
  /** A new organiser's event, its key, and the messages its event has in the outbox. */
  async function newOrganiserEvent(): Promise<{ auth: string; eventId: number; messages: () => Promise<OutboxMessage[]> }> {
    const auth = `Bearer ${await testApp.app.get(ApiKeyStore).createOrganizer(`listener-${Date.now()}-${Math.random()}`)}`;
    const created = await testApp.http().post('/events').set('Authorization', auth).send(eventBody());
    const eventId = created.body.id as number;
    return { auth, eventId, messages: () => testApp.dataSource.getRepository(OutboxMessage).find({ where: { eventId }, order: { id: 'ASC' } }) };
  }

  it('writes nothing of an organiser without an active webhook, and every change after one is made for the worker', async () => {
    const { auth, eventId, messages } = await newOrganiserEvent();
    const quiet = await testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'General', quantity: 1 });
    expect(quiet.status).toBe(201);
    const scanner = await testApp.http().post(`/events/${eventId}/scanner-keys`).set('Authorization', auth);
    const admitted = await testApp.http().post(`/events/${eventId}/check-ins`).set('Authorization', `Bearer ${scanner.body.key as string}`).send({ code: quiet.body.tickets[0].code });
    expect(admitted.status).toBe(200);
    expect(await messages()).toEqual([]);

    const webhook = await testApp.http().post('/webhooks').set('Authorization', auth).send({ url: 'http://127.0.0.1:9/hook' });
    expect(webhook.status).toBe(201);
    const heard = await testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'General', quantity: 1 });
    const cancelled = await testApp.http().post(`/bookings/${quiet.body.reference as string}/cancel`);
    expect(cancelled.status).toBe(200);

    const written = await messages();
    expect(written.map((message) => [message.type, (JSON.parse(message.data) as { reference?: string }).reference])).toEqual([
      ['booking.confirmed', heard.body.reference],
      ['booking.cancelled', quiet.body.reference],
    ]);
    const fannedOut = () => testApp.dataSource.query<{ message_id: number | string }[]>('SELECT message_id FROM webhook_deliveries WHERE endpoint_id = ?', [webhook.body.id]);
    const deadline = Date.now() + 10_000;
    while ((await fannedOut()).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(new Set((await fannedOut()).map((delivery) => Number(delivery.message_id)))).toEqual(new Set(written.map((message) => message.id)));
    expect(LISTENING_WEBHOOK_STATUS).toBe(WebhookStatus.Active);
  });

  it("keeps a hold's creation of an organiser without a webhook, fanned out at once, so that a webhook made before the hold ends hears of its end", async () => {
    const { auth, eventId, messages } = await newOrganiserEvent();
    const held = await testApp.http().post(`/events/${eventId}/holds`).send({ ticket_category: 'General', quantity: 1 });
    expect(held.status).toBe(201);
    const [created] = await messages();
    expect([created.type, created.dispatchedAt?.getTime()]).toEqual(['hold.created', created.createdAt.getTime()]);

    expect((await testApp.http().post('/webhooks').set('Authorization', auth).send({ url: 'http://127.0.0.1:9/hook' })).status).toBe(201);
    expect((await testApp.http().delete(`/holds/${held.body.reference as string}`)).status).toBe(204);

    const written = await messages();
    expect(written.map((message) => [message.type, message.dispatchedAt === null ? 'for the worker' : 'fanned out'])).toEqual([
      ['hold.created', 'fanned out'],
      ['hold.released', expect.any(String)],
    ]);
    expect(JSON.parse(written[1].data)).toEqual(held.body);
  });

  itOnMysql('makes a webhook active only after a sale that read nobody listens has committed, so it hears every sale after', async () => {
    const { auth, eventId, messages } = await newOrganiserEvent();
    const sale = testApp.dataSource.createQueryRunner();
    await sale.connect();
    try {
      await sale.query('START TRANSACTION');
      const [statement, values] = listeningStatement(testApp.dataSource, eventId, true);
      expect(await sale.query(statement, values)).toEqual([{ listening: 0 }]);
      let answered = false;
      const webhook = testApp
        .http()
        .post('/webhooks')
        .set('Authorization', auth)
        .send({ url: 'http://127.0.0.1:9/hook' })
        .then((response) => {
          answered = true;
          return response;
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      await sale.query('COMMIT');
      expect((await webhook).status).toBe(201);
    } finally {
      await sale.release();
    }
    const heard = await testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'General', quantity: 1 });
    expect((await messages()).map((message) => [message.type, (JSON.parse(message.data) as { reference: string }).reference])).toEqual([['booking.confirmed', heard.body.reference]]);
  });

  /** Writes whose own statements lock no row that making a webhook active locks, but for the read of who listens. */
  const unheardWrites: { name: string; made: (eventId: number) => Promise<Made>; change: (auth: string, eventId: number, made: Made) => Promise<{ status: number }>; announced: (made: Made) => string[][] }[] = [
    {
      name: 'a check-in (its one UPDATE)',
      made: async (eventId) => (await testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'General', quantity: 1 })).body as Made,
      change: (auth, eventId, booked) => testApp.http().post(`/events/${eventId}/check-ins`).set('Authorization', auth).send({ code: booked.tickets?.[0].code }),
      announced: (booked) => [['ticket.checked_in', booked.tickets?.[0].code as string]],
    },
    {
      name: "a hold's release (its message INSERT)",
      made: async (eventId) => (await testApp.http().post(`/events/${eventId}/holds`).send({ ticket_category: 'General', quantity: 1 })).body as Made,
      change: (_auth, _eventId, held) => testApp.http().delete(`/holds/${held.reference}`),
      announced: (held) => [
        ['hold.created', held.reference],
        ['hold.released', held.reference],
      ],
    },
  ];

  itOnMysql.each(unheardWrites)('commits $name of an organiser nobody listens to only once a webhook being made active has, and announces it to that webhook', async ({ made, change, announced }) => {
    const { auth, eventId, messages } = await newOrganiserEvent();
    const subject = await made(eventId);
    const webhook = await testApp.http().post('/webhooks').set('Authorization', auth).send({ url: 'http://127.0.0.1:9/hook' });
    expect((await testApp.http().patch(`/webhooks/${webhook.body.id as number}`).set('Authorization', auth).send({ status: 'disabled' })).status).toBe(200);
    const [{ organizer_id: organizerId }] = await testApp.dataSource.query<{ organizer_id: number }[]>('SELECT organizer_id FROM events WHERE id = ?', [eventId]);
    const activation = testApp.dataSource.createQueryRunner();
    await activation.connect();
    try {
      // What PATCH … {status: "active"} does in its transaction, held open.
      await activation.startTransaction();
      await testApp.app.get(WebhooksRepository).waitForUnheardWrites(activation.manager, Number(organizerId));
      await activation.query('UPDATE webhook_endpoints SET status = ? WHERE id = ?', [WebhookStatus.Active, webhook.body.id]);
      let answered = false;
      const changed = change(auth, eventId, subject).then((response) => {
        answered = true;
        return response;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      await activation.commitTransaction();
      expect([200, 204]).toContain((await changed).status);
    } finally {
      await activation.release();
    }
    const written = (await messages()).map((message) => {
      const data = JSON.parse(message.data) as { code?: string; reference?: string };
      return [message.type, data.code ?? data.reference];
    });
    expect(written).toEqual(announced(subject));
  });

  it("writes nothing of a hold's end when nobody listens by then", async () => {
    const { eventId, messages } = await newOrganiserEvent();
    const held = await testApp.http().post(`/events/${eventId}/holds`).send({ ticket_category: 'General', quantity: 1 });
    expect((await testApp.http().delete(`/holds/${held.body.reference as string}`)).status).toBe(204);
    expect((await messages()).map((message) => message.type)).toEqual(['hold.created']);
  });
});
