import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { eventBody } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { deliveriesWhen } from './support/webhook-deliveries.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/**
 * One organiser's receiver that hangs must not hold up another's messages: the timeout here is
 * 5 s, and the other organiser's messages are awaited for well under it.
 */
let testApp: TestApp;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  testApp = await createTestApp({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_POLL_INTERVAL_MS: '20',
    WEBHOOK_TIMEOUT_SECONDS: '5',
    WEBHOOK_LEASE_SECONDS: '12',
  });
});

afterAll(async () => {
  await testApp.close();
  await Promise.all(receivers.map((receiver) => receiver.stop()));
});

async function organiserWithWebhook(): Promise<{ auth: string; hook: WebhookReceiver; webhookId: number; eventId: number }> {
  const auth = `Bearer ${await testApp.app.get(ApiKeyStore).createOrganizer(`organiser-${receivers.length}`)}`;
  const hook = await WebhookReceiver.start();
  receivers.push(hook);
  const webhook = await testApp.http().post('/webhooks').set('Authorization', auth).send({ url: hook.url(), events: ['booking.confirmed'] });
  expect(webhook.status).toBe(201);
  const event = await testApp.http().post('/events').set('Authorization', auth).send(eventBody({ ticket_categories: [{ name: 'Floor', price: 20, seats_limit: 10 }] }));
  expect(event.status).toBe(201);
  return { auth, hook, webhookId: webhook.body.id as number, eventId: event.body.id as number };
}

function book(eventId: number) {
  return testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'Floor', quantity: 1 }).expect(201);
}

it("a receiver that hangs holds up no other webhook's messages, and gets its next one only once it has answered", async () => {
  const stuck = await organiserWithWebhook();
  const other = await organiserWithWebhook();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  stuck.hook.answer = () => ({ status: 200, until: released });

  await book(stuck.eventId);
  await stuck.hook.waitFor((received) => received.length === 1);
  await book(stuck.eventId);
  for (let booking = 0; booking < 3; booking += 1) await book(other.eventId);

  await other.hook.waitFor((received) => received.length === 3, 3_000);
  expect(stuck.hook.received).toHaveLength(1);

  release();
  await stuck.hook.waitFor((received) => received.length === 2);
  for (const [{ auth, webhookId, hook }, messages] of [[stuck, 2], [other, 3]] as const) {
    await deliveriesWhen(testApp, auth, webhookId, (list) => list.length === messages && list.every((delivery) => delivery.status === 'delivered' && delivery.attempts === 1));
    expect(new Set(hook.received.map((message) => message.id)).size).toBe(messages);
    expect(hook.overlapping).toEqual([]);
  }
});
