import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { IsNull } from 'typeorm';
import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { OutboxMessage } from '../src/outbox/outbox-message.entity.js';
import { DeliveryStatus, WebhookDelivery } from '../src/webhooks/webhook-delivery.entity.js';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository.js';
import { eventBody } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { deliveriesWhen } from './support/webhook-deliveries.js';
import { WebhookReceiver, type Answer } from './support/webhook-receiver.js';

/** Webhooks end to end: receivers are real HTTP servers on loopback, the worker the app's own. */
let testApp: TestApp;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  testApp = await createTestApp({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_POLL_INTERVAL_MS: '20',
    WEBHOOK_RETRY_BASE_SECONDS: '0.05',
    WEBHOOK_TIMEOUT_SECONDS: '0.5',
    WEBHOOK_LEASE_SECONDS: '1',
    WEBHOOK_MAX_ATTEMPTS: '3',
  });
});

afterAll(async () => {
  await testApp.close();
  await Promise.all(receivers.map((receiver) => receiver.stop()));
});

async function receiver(): Promise<WebhookReceiver> {
  const started = await WebhookReceiver.start();
  receivers.push(started);
  return started;
}

let organisers = 0;

/** Each test is an organiser of its own, so that it hears only of its own events. */
async function organiser(): Promise<string> {
  organisers += 1;
  return `Bearer ${await testApp.app.get(ApiKeyStore).createOrganizer(`organiser-${organisers}`)}`;
}

function subscribe(auth: string, body: Record<string, unknown>) {
  return testApp.http().post('/webhooks').set('Authorization', auth).send(body);
}

async function eventOf(auth: string, seats = 10): Promise<number> {
  const response = await testApp.http().post('/events').set('Authorization', auth).send(eventBody({ ticket_categories: [{ name: 'Floor', price: 20, seats_limit: seats }] }));
  expect(response.status).toBe(201);
  return response.body.id as number;
}

function book(eventId: number, quantity = 1) {
  return testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'Floor', quantity });
}

function deliveries(auth: string, webhookId: number, query = '') {
  return testApp.http().get(`/webhooks/${webhookId}/deliveries${query}`).set('Authorization', auth);
}

/**
 * A webhook, disabled while `bookings` bookings of its organiser's event are made: their messages
 * fanned out to nobody. They are written because another webhook of the organiser, subscribed to
 * cancellations only, listens.
 */
async function bookedWhileDisabled(bookings: number): Promise<{ auth: string; hook: WebhookReceiver; id: number; messages: OutboxMessage[] }> {
  const auth = await organiser();
  const hook = await receiver();
  const { id } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number };
  await testApp.http().patch(`/webhooks/${id}`).set('Authorization', auth).send({ status: 'disabled' }).expect(200);
  await subscribe(auth, { url: (await receiver()).url(), events: ['booking.cancelled'] }).expect(201);
  const eventId = await eventOf(auth);
  for (let booking = 0; booking < bookings; booking += 1) await book(eventId);
  const messages = testApp.dataSource.getRepository(OutboxMessage);
  while ((await messages.countBy({ eventId, type: 'booking.confirmed', dispatchedAt: IsNull() })) > 0) await sleep(20);
  return { auth, hook, id, messages: await messages.findBy({ eventId, type: 'booking.confirmed' }) };
}

describe('webhook endpoints', () => {
  it('are created with a secret shown once, listed, read, changed and deleted by their organiser only', async () => {
    const auth = await organiser();
    const created = await subscribe(auth, { url: 'http://127.0.0.1:9/hook', events: ['booking.confirmed'], description: 'CRM' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      url: 'http://127.0.0.1:9/hook',
      events: ['booking.confirmed'],
      description: 'CRM',
      status: 'active',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      created_at: expect.any(String),
    });
    const { secret, ...shown } = created.body as Record<string, unknown>;
    const id = created.body.id as number;

    expect((await testApp.http().get(`/webhooks/${id}`).set('Authorization', auth)).body).toEqual(shown);
    expect((await testApp.http().get('/webhooks').set('Authorization', auth)).body).toEqual([shown]);
    expect(JSON.stringify((await testApp.http().get('/webhooks').set('Authorization', auth)).body)).not.toContain(secret);

    const everything = await subscribe(auth, { url: 'https://example.com/all' });
    expect(everything.body.events).toEqual(['event.created', 'event.updated', 'event.cancelled', 'booking.confirmed', 'booking.cancelled', 'hold.created', 'hold.released', 'hold.expired', 'ticket.checked_in', 'category.sold_out', 'waitlist.offered', 'waitlist.expired']);
    expect(everything.body.description).toBeNull();

    const changed = await testApp.http().patch(`/webhooks/${id}`).set('Authorization', auth).send({ url: 'http://127.0.0.1:9/other', events: ['hold.created', 'hold.expired'], description: null, status: 'disabled' });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...shown, url: 'http://127.0.0.1:9/other', events: ['hold.created', 'hold.expired'], description: null, status: 'disabled' });
    expect((await testApp.http().patch(`/webhooks/${id}`).set('Authorization', auth).send({ events: null })).body.events).toHaveLength(12);

    const rival = await organiser();
    for (const response of [
      await testApp.http().get(`/webhooks/${id}`).set('Authorization', rival),
      await testApp.http().patch(`/webhooks/${id}`).set('Authorization', rival).send({ status: 'active' }),
      await testApp.http().delete(`/webhooks/${id}`).set('Authorization', rival),
      await testApp.http().post(`/webhooks/${id}/rotate-secret`).set('Authorization', rival),
      await deliveries(rival, id),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('WEBHOOK_NOT_FOUND');
    }
    expect((await testApp.http().get('/webhooks').set('Authorization', rival)).body).toEqual([]);
    expect((await testApp.http().get(`/webhooks/${id}`)).status).toBe(401);

    expect((await testApp.http().delete(`/webhooks/${id}`).set('Authorization', auth)).status).toBe(204);
    expect((await testApp.http().get(`/webhooks/${id}`).set('Authorization', auth)).status).toBe(404);
    expect((await testApp.http().delete(`/webhooks/${id}`).set('Authorization', auth)).status).toBe(404);
  });

  it('refuse what is not an http(s) URL, unknown types and stray fields with a 400 and a code', async () => {
    const auth = await organiser();
    for (const [body, code] of [
      [{ url: 'ftp://example.com/hook' }, 'WEBHOOK_URL_NOT_ALLOWED'],
      [{ url: 'not a url' }, 'WEBHOOK_URL_NOT_ALLOWED'],
      [{ url: `https://example.com/${'a'.repeat(2000)}` }, 'VALIDATION_FAILED'],
      [{ url: 'https://example.com/hook', events: ['booking.made'] }, 'VALIDATION_FAILED'],
      [{ url: 'https://example.com/hook', events: [] }, 'VALIDATION_FAILED'],
      [{ url: 'https://example.com/hook', secret: 'whsec_mine' }, 'VALIDATION_FAILED'],
      [{ events: ['booking.confirmed'] }, 'VALIDATION_FAILED'],
    ] as const) {
      const response = await subscribe(auth, body);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code });
      expect(response.body.message).toBeTruthy();
    }
    const id = (await subscribe(auth, { url: 'https://example.com/hook' })).body.id as number;
    for (const body of [{ url: null }, { status: 'paused' }, { status: null }, { events: ['nope'] }]) {
      const response = await testApp.http().patch(`/webhooks/${id}`).set('Authorization', auth).send(body);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await testApp.http().get('/webhooks/abc').set('Authorization', auth)).status).toBe(400);
    expect((await testApp.http().get(`/webhooks/${id}/deliveries?status=lost`).set('Authorization', auth)).status).toBe(400);
  });

  it('list page by page, the next page in the Link header', async () => {
    const auth = await organiser();
    const ids: number[] = [];
    for (let index = 0; index < 3; index += 1) ids.push((await subscribe(auth, { url: `https://example.com/${index}` })).body.id as number);
    const first = await testApp.http().get('/webhooks?limit=2').set('Authorization', auth);
    expect(first.body.map((webhook: { id: number }) => webhook.id)).toEqual(ids.slice(0, 2));
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.link)![1];
    const second = await testApp.http().get(next).set('Authorization', auth);
    expect(second.body.map((webhook: { id: number }) => webhook.id)).toEqual(ids.slice(2));
    expect(second.headers.link).toBeUndefined();
  });
});

describe('webhook messages', () => {
  it('arrive signed as Standard Webhooks says, verified by the standardwebhooks package, with the data the API answered', async () => {
    const auth = await organiser();
    const hook = await receiver();
    const { secret, id } = (await subscribe(auth, { url: hook.url() })).body as { secret: string; id: number };
    const eventId = await eventOf(auth);
    const booked = await book(eventId, 2);

    await hook.waitFor((received) => received.some((message) => message.type === 'booking.confirmed'));
    const [message] = hook.ofType('booking.confirmed');
    expect(new Webhook(secret).verify(message.body, message.headers as Record<string, string>)).toEqual({ type: 'booking.confirmed', timestamp: expect.any(String), data: booked.body });
    hook.verifyAll(secret);
    expect(message.id).toMatch(/^msg_[0-9A-Z]{24}$/);
    expect(message.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(message.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(message.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(hook.ofType('event.created')[0].data.id).toBe(eventId);

    const listed = await deliveriesWhen(testApp, auth, id, (list) => list.length === 2 && list.every((delivery) => delivery.status === 'delivered'));
    expect(listed[0]).toEqual({ id: message.id, type: 'booking.confirmed', status: 'delivered', attempts: 1, last_status_code: 200, last_error: null, next_attempt_at: null, delivered_at: expect.any(String), created_at: expect.any(String) });
    expect(listed[1]).toMatchObject({ type: 'event.created', status: 'delivered' });
  });

  it('go only to the organiser of the event, only of the types subscribed, and not to a disabled endpoint', async () => {
    const [auth, rivalAuth] = [await organiser(), await organiser()];
    const [subscribed, everything, disabled, rival] = [await receiver(), await receiver(), await receiver(), await receiver()];
    await subscribe(auth, { url: subscribed.url(), events: ['booking.cancelled'] });
    await subscribe(auth, { url: everything.url() });
    const off = (await subscribe(auth, { url: disabled.url() })).body.id as number;
    await testApp.http().patch(`/webhooks/${off}`).set('Authorization', auth).send({ status: 'disabled' }).expect(200);
    await subscribe(rivalAuth, { url: rival.url() });

    const eventId = await eventOf(auth);
    const booked = await book(eventId);
    await testApp.http().post(`/bookings/${booked.body.reference as string}/cancel`).expect(200);

    await everything.waitFor((received) => received.some((message) => message.type === 'booking.cancelled'));
    await subscribed.waitFor((received) => received.length === 1);
    expect(everything.received.map((message) => message.type)).toEqual(['event.created', 'booking.confirmed', 'booking.cancelled']);
    expect(subscribed.received.map((message) => message.type)).toEqual(['booking.cancelled']);
    expect(disabled.received).toEqual([]);
    expect(rival.received).toEqual([]);
  });

  it('are retried with backoff after a 500 twice, with the same webhook-id, until a 2xx', async () => {
    const auth = await organiser();
    const hook = await receiver();
    let failures = 2;
    hook.answer = (message) => (message.type === 'booking.confirmed' && failures-- > 0 ? { status: 500 } : { status: 204 });
    const { id } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number };
    await book(await eventOf(auth));

    const [delivered] = await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'delivered');
    expect(delivered).toMatchObject({ attempts: 3, last_status_code: 204, last_error: null });
    expect(hook.received.map((message) => message.id)).toEqual([delivered.id, delivered.id, delivered.id]);
    expect(new Set(hook.received.map((message) => message.headers['webhook-signature'])).size).toBeGreaterThanOrEqual(1);
  });

  it('fail after WEBHOOK_MAX_ATTEMPTS, say why, and go again when retried by hand', async () => {
    const auth = await organiser();
    const hook = await receiver();
    hook.answer = () => ({ status: 503 });
    const { id } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number };
    await book(await eventOf(auth));

    const [failed] = await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'failed');
    expect(failed).toMatchObject({ attempts: 3, last_status_code: 503, last_error: 'answered 503 Service Unavailable', next_attempt_at: null, delivered_at: null });
    expect((await deliveries(auth, id, '?status=failed')).body).toHaveLength(1);
    expect((await deliveries(auth, id, '?status=pending')).body).toEqual([]);

    hook.answer = () => ({ status: 200 });
    const retried = await testApp.http().post(`/webhooks/${id}/deliveries/${failed.id as string}/retry`).set('Authorization', auth);
    expect(retried.status).toBe(202);
    const [delivered] = await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'delivered');
    expect(delivered).toMatchObject({ id: failed.id, attempts: 4, last_status_code: 200 });
    expect(hook.received).toHaveLength(4);

    const again = await testApp.http().post(`/webhooks/${id}/deliveries/${failed.id as string}/retry`).set('Authorization', auth);
    expect(again.status).toBe(202);
    await hook.waitFor((received) => received.length === 5);

    const unknown = await testApp.http().post(`/webhooks/${id}/deliveries/msg_NOTHING/retry`).set('Authorization', auth);
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'WEBHOOK_MESSAGE_NOT_FOUND' });
  });

  it('do not follow redirects, and a receiver that does not answer in time is tried again', async () => {
    const auth = await organiser();
    const hook = await receiver();
    let answers: Answer[] = [{ status: 302, location: '/elsewhere' }, { status: 200, delayMs: 800 }, { status: 200 }];
    hook.answer = () => answers.shift() ?? { status: 200 };
    const { id } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number };
    await book(await eventOf(auth));

    await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'pending' && list[0].last_status_code === 302);
    const [delivered] = await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'delivered');
    expect(delivered).toMatchObject({ attempts: 3, last_status_code: 200 });
    expect(hook.received.map((message) => message.path)).toEqual(['/hook', '/hook', '/hook']);
    answers = [];
  });

  it('wait for a connection to a receiver slower than their number without burning attempts: each sent once, none lost', async () => {
    const auth = await organiser();
    const hook = await receiver();
    // 16 connections answered in 200 ms send about 40 messages within the 0.5 s timeout; 120
    // counted as timed out while waiting would run out of their 3 attempts.
    hook.answer = () => ({ status: 200, delayMs: 200 });
    const { id } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number };
    const eventId = await eventOf(auth, 200);
    for (let booking = 0; booking < 120; booking += 1) expect((await book(eventId)).status).toBe(201);

    await hook.waitFor((received) => received.length >= 120);
    const rows = testApp.dataSource.getRepository(WebhookDelivery);
    while ((await rows.countBy({ endpointId: id, status: DeliveryStatus.Delivered })) < 120) await sleep(20);
    const ids = hook.received.map((message) => message.id);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toHaveLength(120);
    expect(hook.overlapping).toEqual([]);
    expect(new Set((await rows.findBy({ endpointId: id })).map((delivery) => `${delivery.status} after ${delivery.attempts}`))).toEqual(new Set(['delivered after 1']));
  });

  it('after 410 Gone, disable the endpoint at once: later messages do not go to it', async () => {
    const auth = await organiser();
    const hook = await receiver();
    hook.answer = () => ({ status: 410 });
    const { id } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number };
    const eventId = await eventOf(auth);
    await book(eventId);

    const [gone] = await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'failed');
    expect(gone).toMatchObject({ attempts: 1, last_status_code: 410, next_attempt_at: null });
    expect((await testApp.http().get(`/webhooks/${id}`).set('Authorization', auth)).body.status).toBe('disabled');

    const witness = await receiver();
    await subscribe(auth, { url: witness.url(), events: ['booking.confirmed'] });
    await book(eventId);
    await witness.waitFor((received) => received.length === 1);
    expect(hook.received).toHaveLength(1);
    expect((await deliveries(auth, id)).body).toHaveLength(1);
  });

  it('due while their endpoint is disabled wait, and go out once it is active again', async () => {
    const auth = await organiser();
    const hook = await receiver();
    hook.answer = () => ({ status: 500 });
    const { id } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number };
    await book(await eventOf(auth));
    await hook.waitFor((received) => received.length === 1);

    await testApp.http().patch(`/webhooks/${id}`).set('Authorization', auth).send({ status: 'disabled' }).expect(200);
    const [parked] = await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'pending' && list[0].next_attempt_at === null);
    expect(parked.last_status_code).toBe(500);
    hook.answer = () => ({ status: 200 });
    await testApp.http().patch(`/webhooks/${id}`).set('Authorization', auth).send({ status: 'active' }).expect(200);
    const [delivered] = await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'delivered');
    expect(delivered.id).toBe(parked.id);
  });

  it("are kept when another organiser tries to delete their webhook, and go with it when its owner does", async () => {
    const [auth, rival] = [await organiser(), await organiser()];
    const hook = await receiver();
    const { id } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number };
    await book(await eventOf(auth));
    await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'delivered');

    expect((await testApp.http().delete(`/webhooks/${id}`).set('Authorization', rival)).status).toBe(404);
    expect((await deliveries(auth, id)).body).toHaveLength(1);

    expect((await testApp.http().delete(`/webhooks/${id}`).set('Authorization', auth)).status).toBe(204);
    expect(await testApp.dataSource.getRepository(WebhookDelivery).countBy({ endpointId: id })).toBe(0);
  });

  it('carry a signature under each secret for a day after a rotation', async () => {
    const auth = await organiser();
    const hook = await receiver();
    const { id, secret: old } = (await subscribe(auth, { url: hook.url(), events: ['booking.confirmed'] })).body as { id: number; secret: string };
    const rotated = await testApp.http().post(`/webhooks/${id}/rotate-secret`).set('Authorization', auth);
    expect(rotated.status).toBe(200);
    const { secret: current } = rotated.body as { secret: string };
    expect(current).not.toBe(old);
    expect(current).toMatch(/^whsec_/);

    await book(await eventOf(auth));
    await hook.waitFor((received) => received.length === 1);
    expect(String(hook.received[0].headers['webhook-signature']).split(' ')).toHaveLength(2);
    hook.verifyAll(old);
    hook.verifyAll(current);
  });

  it('left claimed by an instance that died mid-send are sent again once the lease runs out', async () => {
    const { auth, hook, id, messages: [message] } = await bookedWhileDisabled(1);

    // As an instance killed mid-send leaves its claim: leased for 600 ms, and nobody left to record an outcome.
    const leasedUntil = Date.now() + 600;
    await testApp.dataSource.getRepository(WebhookDelivery).insert({
      endpointId: id,
      messageId: message.id,
      status: DeliveryStatus.Pending,
      attempts: 1,
      leaseToken: 'dead-instance',
      nextAttemptAt: new Date(leasedUntil),
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
    });
    await testApp.http().patch(`/webhooks/${id}`).set('Authorization', auth).send({ status: 'active' }).expect(200);

    await hook.waitFor((received) => received.length === 1);
    expect(Date.now()).toBeGreaterThanOrEqual(leasedUntil);
    expect(hook.received[0].id).toBe(message.messageKey);
    const [delivered] = await deliveriesWhen(testApp, auth, id, (list) => list[0]?.status === 'delivered');
    expect(delivered.attempts).toBe(2);
  });

  it('given back from two claims at once go back each under its own lease, and are sent without an attempt counted', async () => {
    const { auth, hook, id, messages } = await bookedWhileDisabled(2);

    // Two deliveries claimed by two rounds (two lease tokens) that never got a connection, leased for a minute.
    const rows = testApp.dataSource.getRepository(WebhookDelivery);
    const leased = { endpointId: id, status: DeliveryStatus.Pending, attempts: 1, nextAttemptAt: new Date(Date.now() + 60_000), lastStatusCode: null, lastError: null, deliveredAt: null };
    await rows.insert(messages.map((message, i) => ({ ...leased, messageId: message.id, leaseToken: `claim-${i}` })));
    const claimed = await rows.findBy({ endpointId: id });
    await testApp.http().patch(`/webhooks/${id}`).set('Authorization', auth).send({ status: 'active' }).expect(200);
    await testApp.app
      .get(TransactionRunner)
      .run((manager) => testApp.app.get(WebhooksRepository).giveBack(manager, claimed.map(({ id: deliveryId, leaseToken }) => ({ id: deliveryId, leaseToken: leaseToken! })), new Date()));

    await hook.waitFor((received) => received.length === 2, 5_000);
    const delivered = await deliveriesWhen(testApp, auth, id, (list) => list.length === 2 && list.every((delivery) => delivery.status === 'delivered'));
    expect(delivered.map((delivery) => delivery.attempts)).toEqual([1, 1]);
  });

  it('are counted in the metrics', async () => {
    const metrics = await testApp.http().get('/metrics');
    expect(metrics.text).toMatch(/^webhook_deliveries_total\{outcome="delivered"\} [1-9]/m);
    expect(metrics.text).toMatch(/^webhook_deliveries_total\{outcome="retrying"\} [1-9]/m);
    expect(metrics.text).toMatch(/^webhook_deliveries_total\{outcome="endpoint_gone"\} [1-9]/m);
    expect(metrics.text).toMatch(/^webhook_outbox_pending \d+/m);
    expect(metrics.text).toMatch(/^webhook_delivery_lag_seconds_count [1-9]/m);
  });

  it('once delivered and older than WEBHOOK_RETENTION_DAYS are purged; failed ones are kept for a retry', async () => {
    const auth = await organiser();
    const [ok, broken] = [await receiver(), await receiver()];
    broken.answer = () => ({ status: 500 });
    const good = (await subscribe(auth, { url: ok.url(), events: ['booking.confirmed'] })).body.id as number;
    const eventId = await eventOf(auth);
    await book(eventId);
    await deliveriesWhen(testApp, auth, good, (list) => list[0]?.status === 'delivered');
    const bad = (await subscribe(auth, { url: broken.url(), events: ['booking.confirmed'] })).body.id as number;
    await book(eventId);
    await deliveriesWhen(testApp, auth, bad, (list) => list[0]?.status === 'failed');

    const messages = testApp.dataSource.getRepository(OutboxMessage);
    const purged = await testApp.app.get(TransactionRunner).run((manager) => testApp.app.get(WebhooksRepository).purge(manager, new Date(Date.now() + 1000)));
    expect(purged).toBeGreaterThanOrEqual(2);
    expect(await messages.countBy({ eventId, type: 'booking.confirmed' })).toBe(1);
    expect((await deliveries(auth, good)).body).toHaveLength(1);
    expect((await deliveries(auth, bad)).body).toHaveLength(1);
  });
});
