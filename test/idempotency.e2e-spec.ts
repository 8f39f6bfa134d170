import { randomUUID } from 'node:crypto';
import { createEvent, eventBody, lifecycleCounters, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

function book(eventId: number, key: string, quantity = 1) {
  return testApp.http().post(`/events/${eventId}/book`).set('Idempotency-Key', key).send({ ticket_category: 'Door', quantity });
}

async function doorEvent(seats = 10) {
  return createEvent(testApp, { ticket_categories: [{ name: 'Door', price: 10, seats_limit: seats }] });
}

describe('Idempotency-Key', () => {
  it('replays the original status and body for the same request, with Idempotent-Replayed, and books once', async () => {
    const event = await doorEvent();
    const key = randomUUID();

    const first = await book(event.id, key, 2);
    const second = await book(event.id, key, 2);

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Door')).toMatchObject({ seatsSold: 2, confirmedBookedQuantity: 2 });
  });

  it('tells keys apart that differ only in case, on both databases', async () => {
    const event = await doorEvent();
    const key = `CaseKey-${randomUUID()}`;

    const upper = await book(event.id, key, 1);
    const lower = await book(event.id, key.toLowerCase(), 2);
    const replay = await book(event.id, key, 1);

    expect([upper.status, lower.status, replay.status]).toEqual([201, 201, 201]);
    expect(lower.headers['idempotent-replayed']).toBeUndefined();
    expect(lower.body.reference).not.toBe(upper.body.reference);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.reference).toBe(upper.body.reference);
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Door')).toMatchObject({ seatsSold: 3, confirmedBookedQuantity: 3 });
  });

  it('keeps a trailing space out of a key: HTTP strips it, so no two keys can differ only by one', async () => {
    const event = await doorEvent();
    const key = randomUUID();

    await book(event.id, key, 1);
    const spaced = await book(event.id, `${key} `, 1);

    expect(spaced.headers['idempotent-replayed']).toBe('true');
  });

  it('treats bodies that differ only in key order as the same request', async () => {
    const event = await doorEvent();
    const key = randomUUID();
    await book(event.id, key, 1);
    const reordered = await testApp
      .http()
      .post(`/events/${event.id}/book`)
      .set('Idempotency-Key', key)
      .set('Content-Type', 'application/json')
      .send('{"quantity":1,"ticket_category":"Door"}');
    expect(reordered.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body or path, doing nothing', async () => {
    const event = await doorEvent();
    const other = await doorEvent();
    const key = randomUUID();
    await book(event.id, key, 1);

    const otherBody = await book(event.id, key, 3);
    const otherPath = await book(other.id, key, 1);

    for (const response of [otherBody, otherPath]) {
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    expect((await lifecycleCounters(testApp.dataSource, event.id, 'Door')).seatsSold).toBe(1);
    expect((await lifecycleCounters(testApp.dataSource, other.id, 'Door')).seatsSold).toBe(0);
  });

  it('has exactly one effect when concurrent requests share a key', async () => {
    const event = await doorEvent(50);
    const key = randomUUID();

    const responses = await Promise.all(Array.from({ length: 8 }, () => book(event.id, key, 2)));

    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const created = responses.filter((response) => response.status === 201);
    expect(new Set(created.map((response) => response.body.reference)).size).toBe(1);
    expect(created.filter((response) => response.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    for (const conflict of responses.filter((response) => response.status === 409)) {
      expect(conflict.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    }
    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Door')).toMatchObject({ seatsSold: 2, confirmedBookedQuantity: 2 });
  });

  it('does not store a failed request: the same key runs again once it can succeed', async () => {
    const event = await doorEvent(1);
    const held = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Door', quantity: 1 });
    const key = randomUUID();

    const soldOut = await book(event.id, key, 1);
    expect(soldOut.status).toBe(409);
    expect(soldOut.body.code).toBe('SOLD_OUT');

    await testApp.http().delete(`/holds/${held.body.reference}`);
    const retried = await book(event.id, key, 1);

    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect((await lifecycleCounters(testApp.dataSource, event.id, 'Door')).seatsSold).toBe(1);
  });

  it('works on event creation, holds, confirm and cancel alike', async () => {
    const createKey = randomUUID();
    const body = eventBody({ name: 'Once' });
    const created = await testApp.http().post('/events').set('Authorization', organizerAuth).set('Idempotency-Key', createKey).send(body);
    const createdAgain = await testApp.http().post('/events').set('Authorization', organizerAuth).set('Idempotency-Key', createKey).send(body);
    expect(createdAgain.body.id).toBe(created.body.id);
    expect(createdAgain.headers['idempotent-replayed']).toBe('true');

    const holdKey = randomUUID();
    const hold = () => testApp.http().post(`/events/${created.body.id}/holds`).set('Idempotency-Key', holdKey).send({ ticket_category: 'VIP', quantity: 2 });
    const held = await hold();
    expect((await hold()).body.reference).toBe(held.body.reference);

    const confirmKey = randomUUID();
    const confirm = () => testApp.http().post(`/holds/${held.body.reference}/confirm`).set('Idempotency-Key', confirmKey);
    expect((await confirm()).status).toBe(201);
    const confirmedAgain = await confirm();
    expect(confirmedAgain.status).toBe(201);
    expect(confirmedAgain.headers['idempotent-replayed']).toBe('true');

    const cancelKey = randomUUID();
    const cancel = () => testApp.http().post(`/bookings/${held.body.reference}/cancel`).set('Idempotency-Key', cancelKey);
    expect((await cancel()).body.status).toBe('cancelled');
    expect((await cancel()).headers['idempotent-replayed']).toBe('true');

    expect(await lifecycleCounters(testApp.dataSource, created.body.id, 'VIP')).toMatchObject({ seatsSold: 0, seatsHeld: 0 });
  });

  it.each([
    ['an empty key', ''],
    ['a key over 255 characters', 'k'.repeat(256)],
    ['a key with a control character', 'abc\tdef'],
  ])('rejects %s with 400 VALIDATION_FAILED', async (_case, key) => {
    const event = await doorEvent();
    const response = await book(event.id, key);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect((await lifecycleCounters(testApp.dataSource, event.id, 'Door')).seatsSold).toBe(0);
  });

  it('forgets keys after 24 hours', async () => {
    const event = await doorEvent();
    const key = randomUUID();
    await book(event.id, key, 1);
    await testApp.dataSource.getRepository('IdempotencyKey').update({ key }, { createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) });

    const later = await book(event.id, key, 1);

    expect(later.status).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect((await lifecycleCounters(testApp.dataSource, event.id, 'Door')).seatsSold).toBe(2);
  });
});
