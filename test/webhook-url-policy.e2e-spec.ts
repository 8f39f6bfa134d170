import { Event } from '../src/events/event.entity.js';
import { WebhookEndpoint, WebhookStatus } from '../src/webhooks/webhook-endpoint.entity.js';
import { DeliveryStatus, WebhookDelivery } from '../src/webhooks/webhook-delivery.entity.js';
import { createEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/** Without WEBHOOK_ALLOW_PRIVATE_NETWORKS, as in production: webhooks reach public addresses only. */
let testApp: TestApp;
let hook: WebhookReceiver;

beforeAll(async () => {
  testApp = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', WEBHOOK_POLL_INTERVAL_MS: '20', WEBHOOK_RETRY_BASE_SECONDS: '0.05', WEBHOOK_MAX_ATTEMPTS: '2' });
  hook = await WebhookReceiver.start();
});

afterAll(async () => {
  await testApp.close();
  await hook.stop();
});

describe('webhook URLs', () => {
  it.each(['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook', 'https://10.0.0.7/hook', 'http://192.168.1.20/hook', 'http://169.254.169.254/latest', 'http://[::ffff:127.0.0.1]/hook'])(
    'refuse %s with 400 WEBHOOK_URL_NOT_ALLOWED',
    async (url) => {
      const response = await testApp.http().post('/webhooks').set('Authorization', organizerAuth).send({ url });
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'WEBHOOK_URL_NOT_ALLOWED' });
      expect(response.body.message).toMatch(/not a public address/);
    },
  );

  it('refuse a private URL in a change too', async () => {
    const created = await testApp.http().post('/webhooks').set('Authorization', organizerAuth).send({ url: 'https://93.184.215.14/hook' });
    expect(created.status).toBe(201);
    const changed = await testApp.http().patch(`/webhooks/${created.body.id as number}`).set('Authorization', organizerAuth).send({ url: 'http://127.0.0.1/hook' });
    expect({ status: changed.status, code: changed.body.code }).toEqual({ status: 400, code: 'WEBHOOK_URL_NOT_ALLOWED' });
    await testApp.http().delete(`/webhooks/${created.body.id as number}`).set('Authorization', organizerAuth).expect(204);
  });

  it('are checked again at every delivery: a host that resolves to a private address by then gets nothing', async () => {
    const event = await createEvent(testApp);
    const { organizerId } = await testApp.dataSource.getRepository(Event).findOneByOrFail({ id: event.id });
    // As if the names had resolved to public addresses when saved, and to loopback since (DNS rebinding).
    const [byName, byAddress] = await testApp.dataSource.getRepository(WebhookEndpoint).save(
      [hook.url().replace('127.0.0.1', 'localhost'), hook.url()].map((url) => ({ organizerId: organizerId!, url, eventTypes: null, description: null, status: WebhookStatus.Active, secret: 'whsec_AAAA', previousSecret: null, previousSecretUntil: null, createdAt: new Date() })),
    );
    await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 1 }).expect(201);
    const deliveries = testApp.dataSource.getRepository(WebhookDelivery);
    for (const endpoint of [byName, byAddress]) {
      for (;;) {
        const [delivery] = await deliveries.findBy({ endpointId: endpoint.id });
        if (delivery?.status === DeliveryStatus.Failed) {
          expect(delivery.lastError).toMatch(/not a public address/);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect(hook.received).toEqual([]);
  });
});
