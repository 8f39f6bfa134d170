import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, webhookSignature } from './signature.js';

function headers(id: string, timestamp: number, signature: string): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

describe('webhook signatures', () => {
  const body = '{"type":"booking.confirmed","timestamp":"2027-01-01T00:00:00.000Z","data":{"id":1}}';
  const now = Math.floor(Date.now() / 1000);

  it('verify with the standardwebhooks package under the secret, and under no other', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const signed = headers('msg_1', now, webhookSignature([secret], 'msg_1', now, body));
    expect(new Webhook(secret).verify(body, signed)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, signed)).toThrow();
    expect(() => new Webhook(secret).verify(body.replace('"id":1', '"id":2'), signed)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...signed, 'webhook-id': 'msg_2' })).toThrow();
  });

  it('carry one signature per secret during a rotation, each verifying on its own', () => {
    const [previous, current] = [newWebhookSecret(), newWebhookSecret()];
    const signature = webhookSignature([current, previous], 'msg_1', now, body);
    expect(signature.split(' ')).toHaveLength(2);
    for (const secret of [previous, current]) expect(new Webhook(secret).verify(body, headers('msg_1', now, signature))).toEqual(JSON.parse(body));
  });
});
