import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { createEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Sales windows of categories, and hidden categories that only an access code unlocks. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const sleepUntil = async (iso: string) => {
  const wait = Date.parse(iso) - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 5));
};

function book(eventId: number, body: Record<string, unknown>) {
  return testApp.http().post(`/events/${eventId}/book`).send(body);
}

function patch(eventId: number, body: Record<string, unknown>) {
  return testApp.http().patch(`/events/${eventId}`).set('Authorization', organizerAuth).send(body);
}

function categoryOf(event: Record<string, unknown>, name: string) {
  return (event.ticket_categories as { name: string }[]).find((category) => category.name === name) as Record<string, unknown>;
}

describe('sales windows', () => {
  it('are given with a zone, answered in UTC, and say whether the category is on sale now', async () => {
    const event = await createEvent(testApp, {
      date: '2031-06-15T18:00:00Z',
      ticket_categories: [
        { name: 'Early', price: 30, seats_limit: 10, sales_end: inMs(-60_000) },
        { name: 'Regular', price: 40, seats_limit: 10, sales_start: '2025-01-01T10:00:00+01:00', sales_end: '2031-06-15T17:00:00+00:00' },
        { name: 'Late', price: 50, seats_limit: 10, sales_start: '2031-01-01T00:00:00Z' },
      ],
    });

    expect(categoryOf(event, 'Early')).toMatchObject({ sales_start: null, on_sale: false });
    expect(categoryOf(event, 'Regular')).toMatchObject({ sales_start: '2025-01-01T09:00:00.000Z', sales_end: '2031-06-15T17:00:00.000Z', on_sale: true });
    expect(categoryOf(event, 'Late')).toMatchObject({ sales_start: '2031-01-01T00:00:00.000Z', sales_end: null, on_sale: false });
  });

  it.each([
    ['a sales_end after the event', { sales_end: '2031-06-15T18:00:01Z' }, "ticket_categories.0.sales_end must not be after the event's date"],
    ['a sales_start at the event', { sales_start: '2031-06-15T18:00:00Z' }, "ticket_categories.0.sales_start must be before the event's date"],
    ['a sales_end before its sales_start', { sales_start: '2031-02-01T00:00:00Z', sales_end: '2031-01-01T00:00:00Z' }, 'sales_end must be later than sales_start'],
    ['a sales_start without a zone', { sales_start: '2031-02-01T00:00:00' }, 'sales_start must be an ISO 8601 date-time with a time zone'],
  ])('refuse %s with 400 VALIDATION_FAILED', async (_label, window, message) => {
    const response = await testApp
      .http()
      .post('/events')
      .set('Authorization', organizerAuth)
      .send({ name: 'Gig', venue: 'Hall', date: '2031-06-15T18:00:00Z', ticket_categories: [{ name: 'A', price: 10, seats_limit: 5, ...window }] });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  it('end exactly at the event’s date at the latest', async () => {
    const event = await createEvent(testApp, { date: '2031-06-15T18:00:00Z', ticket_categories: [{ name: 'A', price: 10, seats_limit: 5, sales_end: '2031-06-15T20:00:00+02:00' }] });
    expect(categoryOf(event, 'A').sales_end).toBe('2031-06-15T18:00:00.000Z');
  });

  it('are set, changed and removed by PATCH, which checks them against the date it leaves', async () => {
    const event = await createEvent(testApp, { date: '2031-06-15T18:00:00Z', ticket_categories: [{ name: 'A', price: 10, seats_limit: 5, sales_end: '2031-06-01T00:00:00Z' }] });

    const set = await patch(event.id, { ticket_categories: [{ name: 'a', sales_start: '2031-01-01T00:00:00Z' }] });
    const beyond = await patch(event.id, { ticket_categories: [{ name: 'A', sales_end: '2031-07-01T00:00:00Z' }] });
    const crossed = await patch(event.id, { ticket_categories: [{ name: 'A', sales_start: '2031-06-02T00:00:00Z' }] });
    const earlierEvent = await patch(event.id, { date: '2031-05-01T00:00:00Z' });
    const removed = await patch(event.id, { ticket_categories: [{ name: 'A', sales_start: null, sales_end: null }] });
    const added = await patch(event.id, { ticket_categories: [{ name: 'B', price: 5, seats_limit: 5, sales_end: '2031-06-16T00:00:00Z' }] });

    expect(categoryOf(set.body, 'A')).toMatchObject({ sales_start: '2031-01-01T00:00:00.000Z', sales_end: '2031-06-01T00:00:00.000Z', on_sale: false });
    expect(beyond.body.message).toEqual(["ticket_categories.0.sales_end must not be after the event's date"]);
    expect(crossed.body.message).toEqual(['ticket_categories.0.sales_end must be later than ticket_categories.0.sales_start']);
    expect(earlierEvent.body.message).toEqual(['sales window of "A".sales_end must not be after the event\'s date']);
    expect(categoryOf(removed.body, 'A')).toMatchObject({ sales_start: null, sales_end: null, on_sale: true });
    expect(added.status).toBe(400);
  });

  it('refuse a booking or hold before sales_start with 409 SALES_NOT_STARTED saying when, and take it from that instant', async () => {
    const start = inMs(1_500);
    const event = await createEvent(testApp, { timezone: 'Asia/Tokyo', ticket_categories: [{ name: 'Drop', price: 10, seats_limit: 5, sales_start: start }] });

    const early = await book(event.id, { ticket_category: 'Drop', quantity: 1 });
    const earlyHold = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Drop', quantity: 1 });
    await sleepUntil(start);
    const onTime = await book(event.id, { ticket_category: 'Drop', quantity: 1 });

    expect(early.status).toBe(409);
    expect(early.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'SALES_NOT_STARTED',
      message: expect.stringMatching(/^Sales of "Drop" start at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+09:00 \(Asia\/Tokyo\)\.$/),
      sales_start: start,
    });
    expect(earlyHold.body.code).toBe('SALES_NOT_STARTED');
    expect(onTime.status).toBe(201);
  });

  it('take a booking until sales_end and refuse it from then on with 409 SALES_ENDED', async () => {
    const end = inMs(1_500);
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Last', price: 10, seats_limit: 5, sales_end: end }] });

    const inTime = await book(event.id, { ticket_category: 'Last', quantity: 1 });
    await sleepUntil(end);
    const late = await book(event.id, { ticket_category: 'Last', quantity: 1 });
    const lateHold = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Last', quantity: 1 });

    expect(inTime.status).toBe(201);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'SALES_ENDED', sales_end: end, message: expect.stringMatching(/^Sales of "Last" ended at .*\+00:00 \(UTC\)\.$/) });
    expect(lateHold.body.code).toBe('SALES_ENDED');
    expect(categoryOf((await testApp.http().get(`/events/${event.id}`)).body, 'Last').on_sale).toBe(false);
  });

  it('are checked after the category names and before the per-booking limit, line by line', async () => {
    const event = await createEvent(testApp, {
      ticket_categories: [
        { name: 'Open', price: 10, seats_limit: 5 },
        { name: 'Closed', price: 10, seats_limit: 5, max_per_booking: 1, sales_end: inMs(-1000) },
      ],
    });
    expect((await book(event.id, { items: [{ ticket_category: 'Closed', quantity: 1 }, { ticket_category: 'Nope', quantity: 1 }] })).body.code).toBe('TICKET_CATEGORY_NOT_FOUND');
    expect((await book(event.id, { items: [{ ticket_category: 'Open', quantity: 1 }, { ticket_category: 'Closed', quantity: 3 }] })).body.code).toBe('SALES_ENDED');
  });
});

describe('hidden categories', () => {
  async function withPresale() {
    const event = await createEvent(testApp, {
      ticket_categories: [
        { name: 'General', price: 50, seats_limit: 10, seats_sold: 10 },
        { name: 'Presale', price: 40, seats_limit: 10, hidden: true },
      ],
    });
    await testApp.http().post(`/events/${event.id}/codes`).set('Authorization', organizerAuth).send({ code: 'FRIENDS', kind: 'access', ticket_categories: ['Presale'] }).expect(201);
    await testApp.http().post(`/events/${event.id}/codes`).set('Authorization', organizerAuth).send({ code: 'TENOFF', kind: 'discount', discount_percent: 10 }).expect(201);
    return event;
  }

  const names = (event: { ticket_categories: { name: string }[] }) => event.ticket_categories.map((category) => category.name);

  it('are left out of public answers, and of sold_out: a public view of a full event is sold out', async () => {
    const event = await withPresale();

    const one = await testApp.http().get(`/events/${event.id}`);
    const list = await testApp.http().get('/events?limit=100');
    const listed = (list.body as { id: number; ticket_categories: { name: string }[] }[]).find((each) => each.id === event.id);

    expect(names(one.body)).toEqual(['General']);
    expect(one.body.sold_out).toBe(true);
    expect(names(listed as never)).toEqual(['General']);
    expect(JSON.stringify(one.body)).not.toContain('Presale');
  });

  it('are shown, marked hidden, in every answer made with the owner’s key, and to nobody else', async () => {
    const event = await withPresale();
    const rival = await testApp.app.get(ApiKeyStore).createOrganizer(`viewer-${event.id}`);

    const asOwner = await testApp.http().get(`/events/${event.id}`).set('Authorization', organizerAuth);
    const listAsOwner = await testApp.http().get('/events?limit=100').set('Authorization', organizerAuth);
    const asRival = await testApp.http().get(`/events/${event.id}`).set('Authorization', `Bearer ${rival}`);

    expect(asOwner.body.ticket_categories).toEqual([expect.objectContaining({ name: 'General', hidden: false }), expect.objectContaining({ name: 'Presale', hidden: true, on_sale: true })]);
    expect(asOwner.body.sold_out).toBe(false);
    expect(names((listAsOwner.body as { id: number }[]).find((each) => each.id === event.id) as never)).toEqual(['General', 'Presale']);
    expect(names(asRival.body)).toEqual(['General']);
    expect(event.ticket_categories).toHaveLength(2);
  });

  it('answer 401 to a public read that sends a key that is not live, rather than reading it as anonymous', async () => {
    const event = await withPresale();
    const response = await testApp.http().get(`/events/${event.id}`).set('Authorization', 'Bearer tk_not-a-real-key');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/invalid_token/);
    expect((await testApp.http().get('/events').set('Authorization', 'Basic abc')).status).toBe(401);
  });

  it('answer as an unknown category without a code that unlocks them, even a discount code', async () => {
    const event = await withPresale();
    for (const body of [{}, { code: 'TENOFF' }]) {
      const response = await book(event.id, { ticket_category: 'Presale', quantity: 1, ...body });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'TICKET_CATEGORY_NOT_FOUND', message: `Event ${event.id} has no ticket category named "Presale".` });
    }
  });

  it('are booked and held like any category with an access code that unlocks them', async () => {
    const event = await withPresale();

    const booked = await book(event.id, { ticket_category: 'presale', quantity: 2, code: 'friends' });
    const held = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Presale', quantity: 1, code: 'FRIENDS' });

    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ ticket_category: 'Presale', unit_price: 40, code: 'FRIENDS', discount_total: 0 });
    expect(held.status).toBe(201);
    expect(categoryOf((await testApp.http().get(`/events/${event.id}`).set('Authorization', organizerAuth)).body, 'Presale')).toMatchObject({ seats_sold: 2, seats_held: 1 });
  });

  it('are hidden and shown again by PATCH', async () => {
    const event = await withPresale();
    await patch(event.id, { ticket_categories: [{ name: 'Presale', hidden: false }, { name: 'General', hidden: true }] }).expect(200);
    expect(names((await testApp.http().get(`/events/${event.id}`)).body)).toEqual(['Presale']);
    expect((await book(event.id, { ticket_category: 'Presale', quantity: 1 })).status).toBe(201);
  });
});
