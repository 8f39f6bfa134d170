import { OutboxMessage } from '../src/outbox/outbox-message.entity.js';
import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { createEvent, organizerAuth } from './support/fixtures.js';
import { listenAsOrganiser } from './support/api-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Check-in at the door: scanner keys, one admission per ticket, the summary. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  await listenAsOrganiser(await testApp.app.getUrl());
});

afterAll(async () => {
  await testApp.close();
});

const OTHER_ORGANIZER_KEY = `Bearer tk_${'x'.repeat(43)}`;

async function eventWithTickets(quantity = 2, ownerAuth = organizerAuth) {
  const event = await createEvent(testApp, {}, ownerAuth);
  const booking = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity, attendee_names: ['Ada'] });
  return { event, booking: booking.body as { reference: string; tickets: { code: string }[] } };
}

async function scannerKey(eventId: number, ownerAuth = organizerAuth): Promise<string> {
  const response = await testApp.http().post(`/events/${eventId}/scanner-keys`).set('Authorization', ownerAuth);
  expect(response.status).toBe(201);
  return `Bearer ${response.body.key as string}`;
}

/** The key of a new organiser, who has no webhook. */
async function newOrganiserAuth(): Promise<string> {
  return `Bearer ${await testApp.app.get(ApiKeyStore).createOrganizer(`door-${Date.now()}-${Math.random()}`)}`;
}

function checkIn(eventId: number, code: string, auth: string) {
  return testApp.http().post(`/events/${eventId}/check-ins`).set('Authorization', auth).send({ code });
}

describe('scanner keys', () => {
  it('are issued once with their prefix, listed by prefix while live, and revoked at once', async () => {
    const { event, booking } = await eventWithTickets();

    const issued = await testApp.http().post(`/events/${event.id}/scanner-keys`).set('Authorization', organizerAuth);
    expect(issued.body).toEqual({ key: expect.stringMatching(/^sk_[A-Za-z0-9_-]{43}$/), prefix: expect.any(String), created_at: expect.any(String) });
    expect(issued.body.key.startsWith(issued.body.prefix)).toBe(true);
    const listed = await testApp.http().get(`/events/${event.id}/scanner-keys`).set('Authorization', organizerAuth);
    expect(listed.body).toEqual([{ prefix: issued.body.prefix, created_at: issued.body.created_at }]);
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);
    const [{ n }] = await testApp.dataSource.query('SELECT COUNT(*) AS n FROM scanner_keys WHERE key_hash = ?', [issued.body.key]);
    expect(Number(n)).toBe(0);

    const auth = `Bearer ${issued.body.key as string}`;
    expect((await checkIn(event.id, booking.tickets[0].code, auth)).status).toBe(200);
    const revoked = await testApp.http().delete(`/events/${event.id}/scanner-keys/${issued.body.prefix}`).set('Authorization', organizerAuth);
    expect(revoked.status).toBe(204);
    const after = await checkIn(event.id, booking.tickets[1].code, auth);
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toContain('error="invalid_token"');
    expect((await testApp.http().get(`/events/${event.id}/scanner-keys`).set('Authorization', organizerAuth)).body).toEqual([]);
    const again = await testApp.http().delete(`/events/${event.id}/scanner-keys/${issued.body.prefix}`).set('Authorization', organizerAuth);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('SCANNER_KEY_NOT_FOUND');
  });

  it('check in at their own event only; anything else answers as for a stranger', async () => {
    const { event, booking } = await eventWithTickets();
    const other = await eventWithTickets();
    const auth = await scannerKey(event.id);

    const elsewhere = await checkIn(other.event.id, other.booking.tickets[0].code, auth);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('EVENT_NOT_FOUND');
    expect((await testApp.http().get(`/events/${other.event.id}/check-ins/summary`).set('Authorization', auth)).status).toBe(404);
    expect((await testApp.http().patch(`/events/${event.id}`).set('Authorization', auth).send({ venue: 'Mine' })).status).toBe(401);
    expect((await testApp.http().get(`/events/${event.id}/bookings`).set('Authorization', auth)).status).toBe(401);
    expect((await testApp.http().post(`/events/${event.id}/scanner-keys`).set('Authorization', auth)).status).toBe(401);
    expect((await testApp.http().get(`/events/${event.id}/check-ins/summary`).set('Authorization', auth)).status).toBe(200);
    expect((await checkIn(event.id, booking.tickets[0].code, auth)).status).toBe(200);
  });

  it("are issued only by the event's organiser", async () => {
    const { event } = await eventWithTickets();
    expect((await testApp.http().post(`/events/${event.id}/scanner-keys`)).status).toBe(401);
    expect((await testApp.http().post(`/events/${event.id}/scanner-keys`).set('Authorization', OTHER_ORGANIZER_KEY)).status).toBe(401);
    expect((await testApp.http().post('/events/999999/scanner-keys').set('Authorization', organizerAuth)).status).toBe(404);
  });
});

describe('POST /events/:id/check-ins', () => {
  it('admits a valid ticket once: 200 with the ticket, then 409 ALREADY_CHECKED_IN with the first scan’s time', async () => {
    const { event, booking } = await eventWithTickets();
    const auth = await scannerKey(event.id);
    const code = booking.tickets[0].code;

    const first = await checkIn(event.id, code, auth);
    const second = await checkIn(event.id, code, organizerAuth);

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      result: 'ok',
      ticket: { code, ticket_category: 'VIP', attendee_name: 'Ada', status: 'valid', checked_in_at: first.body.checked_in_at },
      checked_in_at: expect.stringMatching(/Z$/),
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'ALREADY_CHECKED_IN', checked_in_at: first.body.checked_in_at });
    expect((await testApp.http().get(`/tickets/${code}`)).body.checked_in_at).toBe(first.body.checked_in_at);
  });

  it('answers 409 TICKET_CANCELLED for a cancelled ticket', async () => {
    const { event, booking } = await eventWithTickets();
    await testApp.http().post(`/bookings/${booking.reference}/cancel`).expect(200);
    const response = await checkIn(event.id, booking.tickets[0].code, organizerAuth);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('TICKET_CANCELLED');
  });

  it('answers 404 TICKET_NOT_FOUND for an unknown code or a ticket of another event: nothing leaks across events', async () => {
    const { event } = await eventWithTickets();
    const other = await eventWithTickets();
    for (const code of ['AAAAAAAAAAAAAAAAAAAAAA', 'nope', other.booking.tickets[0].code]) {
      const response = await checkIn(event.id, code, organizerAuth);
      expect([response.status, response.body.code]).toEqual([404, 'TICKET_NOT_FOUND']);
    }
    expect((await testApp.http().get(`/tickets/${other.booking.tickets[0].code}`)).body.checked_in_at).toBeNull();
  });

  it('answers 409 EVENT_CANCELLED at a cancelled event, whatever the ticket', async () => {
    const { event, booking } = await eventWithTickets();
    await testApp.http().post(`/events/${event.id}/cancel`).set('Authorization', organizerAuth).expect(200);
    for (const code of [booking.tickets[0].code, 'AAAAAAAAAAAAAAAAAAAAAA']) {
      const response = await checkIn(event.id, code, organizerAuth);
      expect([response.status, response.body.code]).toEqual([409, 'EVENT_CANCELLED']);
    }
  });

  it('refuses without a key, with a bad body, or with another organiser’s key', async () => {
    const { event, booking } = await eventWithTickets();
    expect((await testApp.http().post(`/events/${event.id}/check-ins`).send({ code: booking.tickets[0].code })).status).toBe(401);
    expect((await checkIn(event.id, booking.tickets[0].code, OTHER_ORGANIZER_KEY)).status).toBe(401);
    const bad = await testApp.http().post(`/events/${event.id}/check-ins`).set('Authorization', organizerAuth).send({ code: 7 });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it.each([
    ['its organiser listens', () => Promise.resolve(organizerAuth), 1],
    ['nobody listens', newOrganiserAuth, 0],
  ])('admits a ticket exactly once however many scans of it arrive at the same moment, when %s', async (_, ownerAuth, messagesOfAdmission) => {
    const auth = await ownerAuth();
    const { event, booking } = await eventWithTickets(1, auth);
    const scanners = await Promise.all(Array.from({ length: 3 }, () => scannerKey(event.id, auth)));

    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => checkIn(event.id, booking.tickets[0].code, scanners[i % scanners.length])));

    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 409 && response.body.code === 'ALREADY_CHECKED_IN')).toHaveLength(29);
    const admittedAt = responses.find((response) => response.status === 200)?.body.checked_in_at;
    expect(new Set(responses.filter((response) => response.status === 409).map((response) => response.body.checked_in_at))).toEqual(new Set([admittedAt]));
    expect((await testApp.http().get(`/tickets/${booking.tickets[0].code}`)).body.checked_in_at).toBe(admittedAt);
    const announced = await testApp.dataSource.getRepository(OutboxMessage).findBy({ eventId: event.id, type: 'ticket.checked_in' });
    expect(announced.map((message) => (JSON.parse(message.data) as { checked_in_at: string }).checked_in_at)).toEqual(Array(messagesOfAdmission).fill(admittedAt));
  });
});

describe('DELETE /events/:id/check-ins/:code', () => {
  it('undoes a mistaken scan, so the ticket gets in again', async () => {
    const { event, booking } = await eventWithTickets();
    const auth = await scannerKey(event.id);
    const code = booking.tickets[0].code;
    await checkIn(event.id, code, auth).expect(200);

    const undone = await testApp.http().delete(`/events/${event.id}/check-ins/${code}`).set('Authorization', auth);

    expect(undone.status).toBe(204);
    expect((await testApp.http().get(`/tickets/${code}`)).body.checked_in_at).toBeNull();
    expect((await checkIn(event.id, code, organizerAuth)).status).toBe(200);
    expect((await testApp.http().delete(`/events/${event.id}/check-ins/AAAAAAAAAAAAAAAAAAAAAA`).set('Authorization', auth)).status).toBe(404);
  });
});

describe('GET /events/:id/check-ins/summary', () => {
  it('counts valid tickets and check-ins per category, every category listed', async () => {
    const event = await createEvent(testApp);
    const vip = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 3 });
    const dropped = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 2 });
    await testApp.http().post(`/bookings/${dropped.body.reference}/cancel`).expect(200);
    await checkIn(event.id, vip.body.tickets[0].code, organizerAuth).expect(200);
    await checkIn(event.id, vip.body.tickets[1].code, organizerAuth).expect(200);

    const summary = await testApp.http().get(`/events/${event.id}/check-ins/summary`).set('Authorization', await scannerKey(event.id));

    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      tickets: 3,
      checked_in: 2,
      by_category: [
        { ticket_category: 'General', tickets: 0, checked_in: 0 },
        { ticket_category: 'VIP', tickets: 3, checked_in: 2 },
      ],
    });
  });
});
