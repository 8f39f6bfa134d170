import { HoldsService } from '../src/bookings/holds.service.js';
import { TicketCategory } from '../src/inventory/ticket-category.entity.js';
import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { messageBody, OutboxMessage } from '../src/outbox/outbox-message.entity.js';
import { createEvent, expireHoldNow, insertPastEvent, organizerAuth } from './support/fixtures.js';
import { listenAsOrganiser } from './support/api-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ WAITLIST_OFFER_TTL_SECONDS: '120', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  await listenAsOrganiser(await testApp.app.getUrl());
});

afterAll(async () => {
  await testApp.close();
});

interface Entry {
  reference: string;
  status: string;
  position: number | null;
  hold_reference: string | null;
  offer_expires_at: string | null;
  quantity: number;
}

/** An event whose one category, Floor, is sold out by one booking per seat count given. */
async function soldOutEvent(bookings: number[], extra: Record<string, unknown> = {}): Promise<{ eventId: number; bookingRefs: string[] }> {
  const seats = bookings.reduce((sum, quantity) => sum + quantity, 0);
  const event = await createEvent(testApp, { ticket_categories: [{ name: 'Floor', price: 20, seats_limit: seats, ...extra }] });
  const bookingRefs: string[] = [];
  for (const quantity of bookings) {
    const booked = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Floor', quantity });
    expect(booked.status).toBe(201);
    bookingRefs.push(booked.body.reference as string);
  }
  return { eventId: event.id, bookingRefs };
}

function join(eventId: number, body: Record<string, unknown>) {
  return testApp.http().post(`/events/${eventId}/waitlist`).send({ ticket_category: 'Floor', customer_email: 'ada@example.com', ...body });
}

async function joined(eventId: number, quantity: number, email = 'ada@example.com'): Promise<Entry> {
  const response = await join(eventId, { quantity, customer_email: email });
  expect(response.status).toBe(201);
  return response.body as Entry;
}

async function entry(reference: string): Promise<Entry> {
  const response = await testApp.http().get(`/waitlist/${reference}`);
  expect(response.status).toBe(200);
  return response.body as Entry;
}

async function floor(eventId: number): Promise<{ seats_sold: number; seats_held: number; seats_available: number }> {
  return (await testApp.http().get(`/events/${eventId}`)).body.ticket_categories[0];
}

function cancel(reference: string) {
  return testApp.http().post(`/bookings/${reference}/cancel`);
}

async function waitlistMessages(eventId: number): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const messages = await testApp.dataSource.getRepository(OutboxMessage).find({ where: { eventId }, order: { id: 'ASC' } });
  return messages
    .filter((message) => message.type.startsWith('waitlist.'))
    .map((message) => ({ type: message.type, data: (JSON.parse(messageBody(message)) as { data: Record<string, unknown> }).data }));
}

describe('POST /events/:id/waitlist', () => {
  it('puts the buyer in line for a sold-out category and answers 201 with the place', async () => {
    const { eventId } = await soldOutEvent([2]);

    const first = await join(eventId, { quantity: 2, customer_name: 'Ada Lovelace' });
    const second = await join(eventId, { quantity: 1, customer_email: 'bob@example.com' });

    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      reference: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{12}$/),
      status: 'waiting',
      event_id: eventId,
      ticket_category: 'Floor',
      quantity: 2,
      position: 1,
      hold_reference: null,
      offer_expires_at: null,
      created_at: expect.any(String),
    });
    expect(second.body).toMatchObject({ status: 'waiting', position: 2 });
    expect(await entry(second.body.reference as string)).toMatchObject({ status: 'waiting', position: 2 });
  });

  it('refuses with 409 SEATS_AVAILABLE while enough seats can be booked', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Floor', price: 20, seats_limit: 3, seats_sold: 1 }] });

    const response = await join(event.id, { quantity: 2 });

    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'SEATS_AVAILABLE', seats_available: 2 });
    expect(response.body.message).toContain('book instead');
    expect((await join(event.id, { quantity: 3 })).status).toBe(201);
  });

  it('makes the checks of a booking: unknown event and category, past and cancelled events, per-booking limits', async () => {
    const { eventId } = await soldOutEvent([1], { max_per_booking: 2 });
    const pastId = await insertPastEvent(testApp.dataSource, 'Floor');
    const cancelled = await soldOutEvent([1]);
    expect((await testApp.http().post(`/events/${cancelled.eventId}/cancel`).set('Authorization', organizerAuth)).status).toBe(200);

    expect((await join(999_999, { quantity: 1 })).body.code).toBe('EVENT_NOT_FOUND');
    expect((await join(eventId, { ticket_category: 'Balcony', quantity: 1 })).body.code).toBe('TICKET_CATEGORY_NOT_FOUND');
    expect((await join(pastId, { quantity: 1 })).body.code).toBe('EVENT_IN_PAST');
    expect((await join(cancelled.eventId, { quantity: 1 })).body.code).toBe('EVENT_CANCELLED');
    const aboveLimit = await join(eventId, { quantity: 3 });
    expect(aboveLimit.status).toBe(422);
    expect(aboveLimit.body.code).toBe('QUANTITY_ABOVE_LIMIT');
  });

  it('refuses a body without an e-mail or with a bad quantity with 400 VALIDATION_FAILED', async () => {
    const { eventId } = await soldOutEvent([1]);

    const noEmail = await testApp.http().post(`/events/${eventId}/waitlist`).send({ ticket_category: 'Floor', quantity: 1 });
    const zero = await join(eventId, { quantity: 0 });

    expect(noEmail.status).toBe(400);
    expect(noEmail.body.code).toBe('VALIDATION_FAILED');
    expect(noEmail.body.message).toEqual(expect.arrayContaining([expect.stringContaining('customer_email')]));
    expect(zero.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers a retry with the same Idempotency-Key with the same entry, and makes one', async () => {
    const { eventId } = await soldOutEvent([1]);
    const send = () => testApp.http().post(`/events/${eventId}/waitlist`).set('Idempotency-Key', `join-${eventId}`).send({ ticket_category: 'Floor', quantity: 1, customer_email: 'ada@example.com' });

    const first = await send();
    const again = await send();

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const list = await testApp.http().get(`/events/${eventId}/waitlist`).set('Authorization', organizerAuth);
    expect(list.body).toHaveLength(1);
  });
});

describe('offers', () => {
  it('offers the seats of a cancelled booking to the first entry as a hold nobody else can take, and converts on confirm', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([2, 1]);
    const ada = await joined(eventId, 2);
    const bob = await joined(eventId, 2, 'bob@example.com');

    expect((await cancel(bookingRefs[0])).status).toBe(200);

    const offered = await entry(ada.reference);
    expect(offered).toMatchObject({ status: 'offered', position: null, hold_reference: expect.any(String), offer_expires_at: expect.any(String) });
    const ttlMs = Date.parse(offered.offer_expires_at as string) - Date.now();
    expect(ttlMs).toBeGreaterThan(100_000);
    expect(ttlMs).toBeLessThanOrEqual(120_000);
    expect(await entry(bob.reference)).toMatchObject({ status: 'waiting', position: 1 });
    expect(await floor(eventId)).toMatchObject({ seats_sold: 1, seats_held: 2, seats_available: 0 });
    const rival = await testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'Floor', quantity: 1 });
    expect(rival.body.code).toBe('SOLD_OUT');

    const confirmed = await testApp.http().post(`/holds/${offered.hold_reference}/confirm`);
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ reference: offered.hold_reference, quantity: 2, total_price: 40, customer_email: 'ada@example.com' });
    expect(await entry(ada.reference)).toMatchObject({ status: 'converted', hold_reference: offered.hold_reference });
    expect(await floor(eventId)).toMatchObject({ seats_sold: 3, seats_held: 0, seats_available: 0 });
  });

  it('lets an entry too large for the freed seats keep its place while a later, smaller one is served', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1, 1, 1]);
    const big = await joined(eventId, 2);
    const small = await joined(eventId, 1, 'bob@example.com');

    await cancel(bookingRefs[0]);

    expect(await entry(big.reference)).toMatchObject({ status: 'waiting', position: 1 });
    expect(await entry(small.reference)).toMatchObject({ status: 'offered' });

    await cancel(bookingRefs[1]);
    await cancel(bookingRefs[2]);
    expect(await entry(big.reference)).toMatchObject({ status: 'offered' });
    expect(await floor(eventId)).toMatchObject({ seats_sold: 0, seats_held: 3, seats_available: 0 });
  });

  it('reads on past entries too large for what is left until the seats are gone', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([2, 1]);
    const single = await joined(eventId, 1);
    const pairs = [await joined(eventId, 2), await joined(eventId, 2)];
    const lastSingle = await joined(eventId, 1, 'bob@example.com');

    await cancel(bookingRefs[0]);

    expect(await entry(single.reference)).toMatchObject({ status: 'offered' });
    expect(await entry(pairs[0].reference)).toMatchObject({ status: 'waiting', position: 1 });
    expect(await entry(pairs[1].reference)).toMatchObject({ status: 'waiting', position: 2 });
    expect(await entry(lastSingle.reference)).toMatchObject({ status: 'offered' });
  });

  it('offers the seats of a released hold', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Floor', price: 20, seats_limit: 2 }] });
    const held = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Floor', quantity: 2 });
    const waiting = await joined(event.id, 1);

    expect((await testApp.http().delete(`/holds/${held.body.reference}`)).status).toBe(204);

    expect(await entry(waiting.reference)).toMatchObject({ status: 'offered' });
    expect(await floor(event.id)).toMatchObject({ seats_held: 1, seats_available: 1 });
  });

  it('offers seats when the organiser raises seats_limit, at the new price', async () => {
    const { eventId } = await soldOutEvent([2]);
    const waiting = await joined(eventId, 3);

    const patched = await testApp.http().patch(`/events/${eventId}`).set('Authorization', organizerAuth).send({ ticket_categories: [{ name: 'Floor', price: 25, seats_limit: 5 }] });

    expect(patched.status).toBe(200);
    const offered = await entry(waiting.reference);
    expect(offered.status).toBe('offered');
    const confirmed = await testApp.http().post(`/holds/${offered.hold_reference}/confirm`);
    expect(confirmed.body).toMatchObject({ quantity: 3, unit_price: 25, total_price: 75 });
  });

  it('expires an offer that runs out, and passes its seats on at once', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1]);
    const first = await joined(eventId, 1);
    const second = await joined(eventId, 1, 'bob@example.com');
    await cancel(bookingRefs[0]);
    const offered = await entry(first.reference);

    await expireHoldNow(testApp.dataSource, offered.hold_reference as string);
    await testApp.app.get(HoldsService).sweep();

    expect(await entry(first.reference)).toMatchObject({ status: 'expired', hold_reference: offered.hold_reference });
    expect(await entry(second.reference)).toMatchObject({ status: 'offered' });
    const late = await testApp.http().post(`/holds/${offered.hold_reference}/confirm`);
    expect(late.status).toBe(410);
    expect(await floor(eventId)).toMatchObject({ seats_sold: 0, seats_held: 1 });
  });

  it('never sells the seats of an overdue offer to a buyer while the next entry fits them', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1]);
    const first = await joined(eventId, 1);
    const second = await joined(eventId, 1, 'bob@example.com');
    await cancel(bookingRefs[0]);
    await expireHoldNow(testApp.dataSource, (await entry(first.reference)).hold_reference as string);

    const rival = await testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: 'Floor', quantity: 1 });
    await testApp.app.get(HoldsService).sweep();

    expect(rival.body.code).toBe('SOLD_OUT');
    expect(await entry(first.reference)).toMatchObject({ status: 'expired' });
    expect(await entry(second.reference)).toMatchObject({ status: 'offered' });
  });

  it("makes no offer once the category's sales have ended", async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1]);
    const waiting = await joined(eventId, 1);
    const categoryId = (await testApp.dataSource.getRepository(TicketCategory).findOneByOrFail({ eventId })).id;
    await testApp.dataSource.getRepository(TicketCategory).update({ id: categoryId }, { salesEnd: new Date(Date.now() - 1000) });

    await cancel(bookingRefs[0]);

    expect(await entry(waiting.reference)).toMatchObject({ status: 'waiting' });
    expect(await floor(eventId)).toMatchObject({ seats_held: 0, seats_available: 1 });
  });

  it('announces each offer and each expiry with the entry as its organiser sees it', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1]);
    const first = await joined(eventId, 1);
    await cancel(bookingRefs[0]);
    const listed = (await testApp.http().get(`/events/${eventId}/waitlist`).set('Authorization', organizerAuth)).body as Entry[];
    await expireHoldNow(testApp.dataSource, listed[0].hold_reference as string);
    await testApp.app.get(HoldsService).sweep();
    const expired = (await testApp.http().get(`/events/${eventId}/waitlist`).set('Authorization', organizerAuth)).body as Entry[];

    expect(listed[0]).toMatchObject({ reference: first.reference, status: 'offered', customer_email: 'ada@example.com' });
    expect(await waitlistMessages(eventId)).toEqual([
      { type: 'waitlist.offered', data: listed[0] },
      { type: 'waitlist.expired', data: expired[0] },
    ]);
  });

  it('closes the waiting lists of a cancelled event: every entry and offer expires', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1, 1]);
    const offeredOne = await joined(eventId, 1);
    const waitingOne = await joined(eventId, 2, 'bob@example.com');
    await cancel(bookingRefs[0]);

    expect((await testApp.http().post(`/events/${eventId}/cancel`).set('Authorization', organizerAuth)).status).toBe(200);

    expect(await entry(offeredOne.reference)).toMatchObject({ status: 'expired' });
    expect(await entry(waitingOne.reference)).toMatchObject({ status: 'expired', position: null });
    expect((await waitlistMessages(eventId)).map((message) => message.type)).toEqual(['waitlist.offered', 'waitlist.expired', 'waitlist.expired']);
  });
});

describe('DELETE /waitlist/:reference', () => {
  it('withdraws a waiting entry; withdrawing again answers 204 too', async () => {
    const { eventId } = await soldOutEvent([1]);
    const first = await joined(eventId, 1);
    const second = await joined(eventId, 1, 'bob@example.com');

    expect((await testApp.http().delete(`/waitlist/${first.reference}`)).status).toBe(204);
    expect((await testApp.http().delete(`/waitlist/${first.reference}`)).status).toBe(204);

    expect(await entry(first.reference)).toMatchObject({ status: 'withdrawn', position: null });
    expect(await entry(second.reference)).toMatchObject({ status: 'waiting', position: 1 });
  });

  it('releases an outstanding offer and passes its seats to the next in line', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([2]);
    const first = await joined(eventId, 2);
    const second = await joined(eventId, 2, 'bob@example.com');
    await cancel(bookingRefs[0]);
    const offer = (await entry(first.reference)).hold_reference;

    expect((await testApp.http().delete(`/waitlist/${first.reference}`)).status).toBe(204);

    expect(await entry(first.reference)).toMatchObject({ status: 'withdrawn' });
    expect(await entry(second.reference)).toMatchObject({ status: 'offered' });
    expect((await testApp.http().post(`/holds/${offer}/confirm`)).body.code).toBe('HOLD_NOT_FOUND');
    expect(await floor(eventId)).toMatchObject({ seats_sold: 0, seats_held: 2 });
  });

  it('treats releasing the offer hold itself as withdrawing', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1]);
    const first = await joined(eventId, 1);
    const second = await joined(eventId, 1, 'bob@example.com');
    await cancel(bookingRefs[0]);

    expect((await testApp.http().delete(`/holds/${(await entry(first.reference)).hold_reference}`)).status).toBe(204);

    expect(await entry(first.reference)).toMatchObject({ status: 'withdrawn' });
    expect(await entry(second.reference)).toMatchObject({ status: 'offered' });
  });

  it('refuses to withdraw a converted entry with 409 WAITLIST_ENTRY_CLOSED', async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1]);
    const first = await joined(eventId, 1);
    await cancel(bookingRefs[0]);
    await testApp.http().post(`/holds/${(await entry(first.reference)).hold_reference}/confirm`);

    const response = await testApp.http().delete(`/waitlist/${first.reference}`);

    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'WAITLIST_ENTRY_CLOSED', status: 'converted' });
  });

  it('answers 404 WAITLIST_ENTRY_NOT_FOUND for an unknown reference', async () => {
    const deleted = await testApp.http().delete('/waitlist/0000000000ZZ');
    const read = await testApp.http().get('/waitlist/not-a-reference');

    expect(deleted.status).toBe(404);
    expect(deleted.body.code).toBe('WAITLIST_ENTRY_NOT_FOUND');
    expect(read.body.code).toBe('WAITLIST_ENTRY_NOT_FOUND');
  });
});

describe('GET /events/:id/waitlist', () => {
  it("lists the event's entries oldest first with their customers, pages them, and filters by status", async () => {
    const { eventId, bookingRefs } = await soldOutEvent([1]);
    const entries = [await joined(eventId, 1, 'a@example.com'), await joined(eventId, 1, 'b@example.com'), await joined(eventId, 1, 'c@example.com')];
    await cancel(bookingRefs[0]);

    const firstPage = await testApp.http().get(`/events/${eventId}/waitlist?limit=2`).set('Authorization', organizerAuth);
    const next = /<([^>]+)>; rel="next"/.exec(firstPage.headers.link)?.[1] as string;
    const secondPage = await testApp.http().get(next).set('Authorization', organizerAuth);
    const waiting = await testApp.http().get(`/events/${eventId}/waitlist?status=waiting`).set('Authorization', organizerAuth);

    expect(firstPage.status).toBe(200);
    expect(firstPage.body).toEqual([
      expect.objectContaining({ reference: entries[0].reference, status: 'offered', customer_email: 'a@example.com', customer_name: null, position: null }),
      expect.objectContaining({ reference: entries[1].reference, status: 'waiting', customer_email: 'b@example.com', position: 1 }),
    ]);
    expect(secondPage.body).toEqual([expect.objectContaining({ reference: entries[2].reference, position: 2 })]);
    expect((waiting.body as Entry[]).map((each) => each.reference)).toEqual([entries[1].reference, entries[2].reference]);
  });

  it("needs the organiser's key, and shows another organiser nothing", async () => {
    const { eventId } = await soldOutEvent([1]);

    const rival = await testApp.app.get(ApiKeyStore).createOrganizer(`waitlist-rival-${eventId}`);
    await joined(eventId, 1);

    const anonymous = await testApp.http().get(`/events/${eventId}/waitlist`);
    const other = await testApp.http().get(`/events/${eventId}/waitlist`).set('Authorization', `Bearer ${rival}`);
    const badStatus = await testApp.http().get(`/events/${eventId}/waitlist?status=maybe`).set('Authorization', organizerAuth);

    expect(anonymous.status).toBe(401);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('EVENT_NOT_FOUND');
    expect(badStatus.body.code).toBe('VALIDATION_FAILED');
  });
});
