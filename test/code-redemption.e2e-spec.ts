import { HoldsService } from '../src/bookings/holds.service.js';
import { createEvent, expireHoldNow, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Booking and holding with a code: its price, its checks in the contract's order, and its uses,
 * counted in the booking's transaction under the code's lock so that none is ever used more than
 * max_uses times, and given back by releases, expiries and cancellations.
 */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

/** Stalls 9.99 × 1000, Circle 30 × 100, a hidden Presale 20 × 50. */
function concert(overrides: Record<string, unknown> = {}) {
  return createEvent(testApp, {
    ticket_categories: [
      { name: 'Stalls', price: 9.99, seats_limit: 1000 },
      { name: 'Circle', price: 30, seats_limit: 100 },
      { name: 'Presale', price: 20, seats_limit: 50, hidden: true },
    ],
    ...overrides,
  });
}

async function createCode(eventId: number, body: Record<string, unknown>) {
  const response = await testApp.http().post(`/events/${eventId}/codes`).set('Authorization', organizerAuth).send(body);
  if (response.status !== 201) throw new Error(`Could not create code: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { code: string };
}

async function usesOf(eventId: number, code: string): Promise<number> {
  const { body } = await testApp.http().get(`/events/${eventId}/codes?limit=100`).set('Authorization', organizerAuth);
  return (body as { code: string; uses: number }[]).find((each) => each.code === code.toUpperCase())?.uses as number;
}

function book(eventId: number, body: Record<string, unknown>) {
  return testApp.http().post(`/events/${eventId}/book`).send(body);
}

function hold(eventId: number, body: Record<string, unknown>) {
  return testApp.http().post(`/events/${eventId}/holds`).send(body);
}

async function seatsSold(eventId: number, category: string): Promise<number> {
  const [row] = await testApp.dataSource.query('SELECT seats_sold FROM ticket_categories WHERE event_id = ? AND name = ?', [eventId, category]);
  return Number(row.seats_sold);
}

describe('POST /events/:id/book with a code', () => {
  it('prices each ticket after the discount, rounded half up in cents: 9.99 at 33 % off is 6.69', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'THIRD', kind: 'discount', discount_percent: 33 });

    const response = await book(event.id, { ticket_category: 'Stalls', quantity: 3, code: 'third' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      ticket_category: 'Stalls',
      unit_price: 6.69,
      total_price: 20.07,
      code: 'THIRD',
      discount_total: 9.9,
      currency: 'EUR',
      items: [{ ticket_category: 'Stalls', quantity: 3, unit_price: 6.69, original_unit_price: 9.99, total_price: 20.07 }],
    });
    expect(await usesOf(event.id, 'THIRD')).toBe(1);
    expect((await testApp.http().get(`/bookings/${response.body.reference}`)).body).toMatchObject({ unit_price: 6.69, code: 'THIRD', discount_total: 9.9 });
  });

  it.each([
    [15, 9.99, 8.49],
    [50, 9.99, 4.99],
    [50, 0.01, 0],
    [50, 0.03, 0.01],
    [100, 30, 0],
    [1, 0.49, 0.49],
    [1, 0.5, 0.49],
  ])('at %i %% off, a price of %d costs %d', async (percent, price, paid) => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Seat', price, seats_limit: 10 }] });
    await createCode(event.id, { code: 'ROUND', kind: 'discount', discount_percent: percent });
    const response = await book(event.id, { ticket_category: 'Seat', quantity: 1, code: 'ROUND' });
    expect(response.body).toMatchObject({ unit_price: paid, items: [{ original_unit_price: price, unit_price: paid }] });
  });

  it('takes an amount off each ticket, and never more than the ticket costs after a price cut', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'FIVEOFF', kind: 'discount', discount_amount: 5, ticket_categories: ['Circle'] });
    const before = await book(event.id, { ticket_category: 'Circle', quantity: 2, code: 'FIVEOFF' });
    await testApp.http().patch(`/events/${event.id}`).set('Authorization', organizerAuth).send({ ticket_categories: [{ name: 'Circle', price: 4 }] }).expect(200);

    const after = await book(event.id, { ticket_category: 'Circle', quantity: 2, code: 'FIVEOFF' });

    expect(before.body).toMatchObject({ unit_price: 25, total_price: 50, discount_total: 10 });
    expect(after.body).toMatchObject({ unit_price: 0, total_price: 0, discount_total: 8, items: [{ original_unit_price: 4, unit_price: 0 }] });
  });

  it('discounts only the lines of an order it applies to', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'CIRCLE10', kind: 'discount', discount_percent: 10, ticket_categories: ['Circle'] });

    const response = await book(event.id, { items: [{ ticket_category: 'Stalls', quantity: 1 }, { ticket_category: 'Circle', quantity: 2 }], code: 'CIRCLE10' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      unit_price: null,
      total_price: 63.99,
      discount_total: 6,
      items: [
        { ticket_category: 'Stalls', unit_price: 9.99, original_unit_price: 9.99, total_price: 9.99 },
        { ticket_category: 'Circle', unit_price: 27, original_unit_price: 30, total_price: 54 },
      ],
    });
  });

  it('keeps the price it was booked at when the code changes later', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'CHANGES', kind: 'discount', discount_percent: 10 });
    const booked = await book(event.id, { ticket_category: 'Circle', quantity: 1, code: 'CHANGES' });
    await testApp.http().patch(`/events/${event.id}/codes/CHANGES`).set('Authorization', organizerAuth).send({ discount_percent: 90 }).expect(200);

    expect((await testApp.http().get(`/bookings/${booked.body.reference}`)).body).toMatchObject({ unit_price: 27, discount_total: 3 });
    expect((await book(event.id, { ticket_category: 'Circle', quantity: 1, code: 'CHANGES' })).body).toMatchObject({ unit_price: 3 });
  });

  it('answers 422 CODE_NOT_VALID for an unknown code, one of another event, and one outside its window', async () => {
    const event = await concert();
    const other = await concert();
    await createCode(other.id, { code: 'ELSEWHERE', kind: 'discount', discount_percent: 10 });
    await createCode(event.id, { code: 'LATER', kind: 'discount', discount_percent: 10, valid_from: new Date(Date.now() + 3_600_000).toISOString() });
    await createCode(event.id, { code: 'OVER', kind: 'discount', discount_percent: 10, valid_until: new Date(Date.now() - 1000).toISOString() });

    for (const code of ['UNKNOWN', 'ELSEWHERE', 'later', 'OVER']) {
      const response = await book(event.id, { ticket_category: 'Stalls', quantity: 1, code });
      expect({ code, status: response.status, error: response.body.code }).toEqual({ code, status: 422, error: 'CODE_NOT_VALID' });
      expect(response.body.message).toBe(`The code "${code}" cannot be used for event ${event.id}: it is unknown, disabled, or not valid at this time.`);
    }
  });

  it('answers 422 CODE_NOT_APPLICABLE when the code applies to no line, and 400 for a code that cannot be one', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'CIRCLE', kind: 'discount', discount_percent: 10, ticket_categories: ['Circle'] });

    const response = await book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'circle' });
    const malformed = await book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'no!' });

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'CODE_NOT_APPLICABLE', message: 'The code "CIRCLE" applies to none of the ticket categories in this order.' });
    expect(malformed.status).toBe(400);
  });

  it('answers 409 CODE_EXHAUSTED once every use is taken, and counts nothing for a refused booking', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'TWICE', kind: 'discount', discount_percent: 10, max_uses: 2 });
    expect((await book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'TWICE' })).status).toBe(201);
    expect((await book(event.id, { ticket_category: 'Circle', quantity: 101, code: 'TWICE' })).body.code).toBe('INSUFFICIENT_SEATS');
    expect((await book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'TWICE' })).status).toBe(201);

    const third = await book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'TWICE' });

    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ code: 'CODE_EXHAUSTED', message: 'The code "TWICE" has been used as many times as it may be.' });
    expect(await usesOf(event.id, 'TWICE')).toBe(2);
    expect(await seatsSold(event.id, 'Stalls')).toBe(2);
  });

  it('checks in the contract’s order: a sold-out category before an exhausted code, a bad code before an unknown category', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Tiny', price: 10, seats_limit: 1 }] });
    await createCode(event.id, { code: 'ONCE', kind: 'discount', discount_percent: 10, max_uses: 1 });
    expect((await book(event.id, { ticket_category: 'Tiny', quantity: 1, code: 'ONCE' })).status).toBe(201);

    expect((await book(event.id, { ticket_category: 'Tiny', quantity: 1, code: 'ONCE' })).body.code).toBe('SOLD_OUT');
    expect((await book(event.id, { ticket_category: 'Nope', quantity: 1, code: 'WRONG' })).body.code).toBe('CODE_NOT_VALID');
    expect((await book(event.id, { ticket_category: 'Nope', quantity: 1, code: 'ONCE' })).body.code).toBe('TICKET_CATEGORY_NOT_FOUND');
  });

  it('sells exactly max_uses bookings with the code when 200 buyers race for 50 uses', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'RACE50', kind: 'discount', discount_percent: 20, max_uses: 50 });

    const responses = await Promise.all(Array.from({ length: 200 }, () => book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'RACE50' })));

    const created = responses.filter((response) => response.status === 201);
    expect(created).toHaveLength(50);
    expect(created.every((response) => response.body.unit_price === 7.99 && response.body.code === 'RACE50')).toBe(true);
    expect(responses.filter((response) => response.status !== 201).map((response) => response.body.code)).toEqual(Array.from({ length: 150 }, () => 'CODE_EXHAUSTED'));
    expect(await usesOf(event.id, 'RACE50')).toBe(50);
    expect(await seatsSold(event.id, 'Stalls')).toBe(50);
    const [row] = await testApp.dataSource.query("SELECT COUNT(*) AS n FROM bookings WHERE event_id = ? AND code = 'RACE50' AND status = 'confirmed'", [event.id]);
    expect(Number(row.n)).toBe(50);
  });

  it('gives uses back as bookings are cancelled while others race for them, and never passes max_uses', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'CHURN', kind: 'discount', discount_percent: 10, max_uses: 20 });
    const first = await Promise.all(Array.from({ length: 20 }, () => book(event.id, { ticket_category: 'Circle', quantity: 1, code: 'CHURN' })));
    expect(first.every((response) => response.status === 201)).toBe(true);

    const [cancels, rebookings] = await Promise.all([
      Promise.all(first.slice(0, 10).map((response) => testApp.http().post(`/bookings/${response.body.reference}/cancel`))),
      Promise.all(Array.from({ length: 40 }, () => book(event.id, { ticket_category: 'Circle', quantity: 1, code: 'CHURN' }))),
    ]);

    expect(cancels.every((response) => response.status === 200)).toBe(true);
    const rebooked = rebookings.filter((response) => response.status === 201).length;
    expect(rebooked).toBeLessThanOrEqual(10);
    expect(rebookings.filter((response) => response.status !== 201).every((response) => response.body.code === 'CODE_EXHAUSTED')).toBe(true);
    expect(await usesOf(event.id, 'CHURN')).toBe(10 + rebooked);
    const [row] = await testApp.dataSource.query("SELECT COUNT(*) AS n FROM bookings WHERE event_id = ? AND code = 'CHURN' AND status = 'confirmed'", [event.id]);
    expect(Number(row.n)).toBe(10 + rebooked);
  });

  it('gives the use back when the booking is cancelled, once however often it is cancelled', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'BACK', kind: 'discount', discount_percent: 10, max_uses: 1 });
    const booked = await book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'BACK' });

    await testApp.http().post(`/bookings/${booked.body.reference}/cancel`).expect(200);
    await testApp.http().post(`/bookings/${booked.body.reference}/cancel`).expect(200);

    expect(await usesOf(event.id, 'BACK')).toBe(0);
    expect((await book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'BACK' })).status).toBe(201);
    expect(await usesOf(event.id, 'BACK')).toBe(1);
  });

  it('counts no use twice for a booking replayed by its Idempotency-Key', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'REPLAY', kind: 'discount', discount_percent: 10 });
    const send = () => testApp.http().post(`/events/${event.id}/book`).set('Idempotency-Key', `replay-${event.id}`).send({ ticket_category: 'Stalls', quantity: 1, code: 'REPLAY' });
    await send();
    expect((await send()).headers['idempotent-replayed']).toBe('true');
    expect(await usesOf(event.id, 'REPLAY')).toBe(1);
  });
});

describe('POST /events/:id/holds with a code', () => {
  it('takes a use and the discounted price; confirming keeps both', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'HOLDME', kind: 'discount', discount_percent: 50, max_uses: 1 });

    const held = await hold(event.id, { ticket_category: 'Circle', quantity: 2, code: 'HOLDME' });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ unit_price: 15, total_price: 30, code: 'HOLDME', discount_total: 30, currency: 'EUR', items: [{ original_unit_price: 30, unit_price: 15 }] });
    expect(await usesOf(event.id, 'HOLDME')).toBe(1);
    expect((await book(event.id, { ticket_category: 'Circle', quantity: 1, code: 'HOLDME' })).body.code).toBe('CODE_EXHAUSTED');

    const confirmed = await testApp.http().post(`/holds/${held.body.reference}/confirm`);

    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ unit_price: 15, total_price: 30, code: 'HOLDME', discount_total: 30, currency: 'EUR' });
    expect(await usesOf(event.id, 'HOLDME')).toBe(1);
  });

  it('gives the use back when the hold is released', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'LETGO', kind: 'discount', discount_percent: 10, max_uses: 1 });
    const held = await hold(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'LETGO' });

    await testApp.http().delete(`/holds/${held.body.reference}`).expect(204);

    expect(await usesOf(event.id, 'LETGO')).toBe(0);
    expect((await hold(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'LETGO' })).status).toBe(201);
  });

  it('gives the use back when the hold expires, once, even when released afterwards', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'EXPIRE', kind: 'discount', discount_percent: 10, max_uses: 2 });
    const held = await hold(event.id, { items: [{ ticket_category: 'Stalls', quantity: 1 }, { ticket_category: 'Circle', quantity: 1 }], code: 'EXPIRE' });
    await hold(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'EXPIRE' });
    expect(await usesOf(event.id, 'EXPIRE')).toBe(2);
    await expireHoldNow(testApp.dataSource, held.body.reference);

    await testApp.app.get(HoldsService).sweep();
    await testApp.http().delete(`/holds/${held.body.reference}`).expect(204);

    expect(await usesOf(event.id, 'EXPIRE')).toBe(1);
  });

  it('gives the use back when a booking that needs the seats expires the hold', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Pair', price: 10, seats_limit: 2 }] });
    await createCode(event.id, { code: 'OVERDUE', kind: 'discount', discount_percent: 10, max_uses: 1 });
    const held = await hold(event.id, { ticket_category: 'Pair', quantity: 2, code: 'OVERDUE' });
    await expireHoldNow(testApp.dataSource, held.body.reference);

    const booked = await book(event.id, { ticket_category: 'Pair', quantity: 2, code: 'OVERDUE' });

    expect(booked.status).toBe(201);
    expect(await usesOf(event.id, 'OVERDUE')).toBe(1);
  });
});

describe('POST /events/:id/cancel with codes in use', () => {
  it('gives back every use of the event’s codes', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'GALA', kind: 'discount', discount_percent: 10 });
    await createCode(event.id, { code: 'INSIDE', kind: 'access', ticket_categories: ['Presale'] });
    await book(event.id, { ticket_category: 'Stalls', quantity: 1, code: 'GALA' });
    await hold(event.id, { ticket_category: 'Circle', quantity: 1, code: 'GALA' });
    await book(event.id, { ticket_category: 'Presale', quantity: 1, code: 'INSIDE' });

    await testApp.http().post(`/events/${event.id}/cancel`).set('Authorization', organizerAuth).expect(200);

    expect([await usesOf(event.id, 'GALA'), await usesOf(event.id, 'INSIDE')]).toEqual([0, 0]);
  });
});
