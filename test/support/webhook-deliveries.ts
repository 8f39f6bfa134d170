import { setTimeout as sleep } from 'node:timers/promises';
import type { TestApp } from './test-app.js';

/** Polls a webhook's deliveries list, as its organiser reads it, until `done` holds of it. */
export async function deliveriesWhen(testApp: TestApp, auth: string, webhookId: number, done: (list: Record<string, unknown>[]) => boolean): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = (await testApp.http().get(`/webhooks/${webhookId}/deliveries`).set('Authorization', auth)).body as Record<string, unknown>[];
    if (done(list)) return list;
    if (Date.now() > deadline) throw new Error(`Deliveries never got there: ${JSON.stringify(list)}`);
    await sleep(20);
  }
}
