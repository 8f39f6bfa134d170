import { ApiKeyStore } from '../src/organizers/api-key-store.js';
import { createEvent, moveEventIntoThePast, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Discount and access codes as their organiser manages them. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

/** General 50 × 100, VIP 150 × 20, and a hidden Presale 40 × 10. */
function concert(overrides: Record<string, unknown> = {}) {
  return createEvent(testApp, {
    ticket_categories: [
      { name: 'General', price: 50, seats_limit: 100 },
      { name: 'VIP', price: 150, seats_limit: 20 },
      { name: 'Presale', price: 40, seats_limit: 10, hidden: true },
    ],
    ...overrides,
  });
}

function createCode(eventId: number, body: Record<string, unknown>, auth = organizerAuth) {
  return testApp.http().post(`/events/${eventId}/codes`).set('Authorization', auth).send(body);
}

function patchCode(eventId: number, code: string, body: Record<string, unknown>) {
  return testApp.http().patch(`/events/${eventId}/codes/${code}`).set('Authorization', organizerAuth).send(body);
}

function disableCode(eventId: number, code: string) {
  return testApp.http().delete(`/events/${eventId}/codes/${code}`).set('Authorization', organizerAuth);
}

function listCodes(eventId: number, query = '') {
  return testApp.http().get(`/events/${eventId}/codes${query}`).set('Authorization', organizerAuth);
}

function book(eventId: number, body: Record<string, unknown>) {
  return testApp.http().post(`/events/${eventId}/book`).send(body);
}

describe('POST /events/:id/codes', () => {
  it('creates a discount code with no uses, stored in capitals, applying to every category by default', async () => {
    const event = await concert();

    const response = await createCode(event.id, { code: 'Summer-25', kind: 'discount', discount_percent: 25 });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      code: 'SUMMER-25',
      kind: 'discount',
      discount_percent: 25,
      discount_amount: null,
      max_uses: null,
      uses: 0,
      valid_from: null,
      valid_until: null,
      ticket_categories: null,
      disabled_at: null,
      created_at: expect.stringMatching(/Z$/),
    });
  });

  it('keeps the categories, limit and window it is given, dates in UTC', async () => {
    const event = await concert();

    const response = await createCode(event.id, {
      code: 'VIP_ONLY',
      kind: 'discount',
      discount_amount: 20.5,
      max_uses: 10,
      valid_from: '2026-01-01T10:00:00+01:00',
      valid_until: '2030-01-01T00:00:00Z',
      ticket_categories: ['vip '],
    });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      discount_amount: 20.5,
      max_uses: 10,
      valid_from: '2026-01-01T09:00:00.000Z',
      valid_until: '2030-01-01T00:00:00.000Z',
      ticket_categories: ['VIP'],
    });
  });

  it('answers 409 CODE_ALREADY_EXISTS for a code the event has, ignoring case; another event may have it', async () => {
    const event = await concert();
    const other = await concert();
    expect((await createCode(event.id, { code: 'EARLY', kind: 'discount', discount_percent: 10 })).status).toBe(201);

    const again = await createCode(event.id, { code: 'early', kind: 'access' });
    const elsewhere = await createCode(other.id, { code: 'early', kind: 'access' });

    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CODE_ALREADY_EXISTS', message: `Event ${event.id} already has the code "EARLY" (codes are compared ignoring case).` });
    expect(elsewhere.status).toBe(201);
  });

  it('creates a code once when two requests race to create it', async () => {
    const event = await concert();
    const responses = await Promise.all(Array.from({ length: 5 }, () => createCode(event.id, { code: 'RACE', kind: 'access' })));
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await listCodes(event.id)).body).toHaveLength(1);
  });

  it.each([
    ['a code of 3 characters', { code: 'ABC', kind: 'access' }, 'code must be 4–40 characters of A–Z, 0–9, - and _'],
    ['a code of 41 characters', { code: 'A'.repeat(41), kind: 'access' }, 'code must be 4–40 characters of A–Z, 0–9, - and _'],
    ['a code with a space', { code: 'TWO WORDS', kind: 'access' }, 'code must be 4–40 characters of A–Z, 0–9, - and _'],
    ['a code with an accent', { code: 'CAFÉ', kind: 'access' }, 'code must be 4–40 characters of A–Z, 0–9, - and _'],
    ['an unknown kind', { code: 'ABCD', kind: 'coupon' }, 'kind must be one of the following values: discount, access'],
    ['a discount without either discount', { code: 'ABCD', kind: 'discount' }, 'a discount code needs discount_percent or discount_amount'],
    ['both discounts', { code: 'ABCD', kind: 'discount', discount_percent: 10, discount_amount: 5 }, 'discount_amount must not be sent together with discount_percent'],
    ['an access code with both discounts', { code: 'ABCD', kind: 'access', discount_percent: 10, discount_amount: 5 }, 'discount_amount must not be sent together with discount_percent'],
    ['0 percent', { code: 'ABCD', kind: 'discount', discount_percent: 0 }, 'discount_percent must not be less than 1'],
    ['101 percent', { code: 'ABCD', kind: 'discount', discount_percent: 101 }, 'discount_percent must not be greater than 100'],
    ['a fractional percent', { code: 'ABCD', kind: 'discount', discount_percent: 12.5 }, 'discount_percent must be an integer number'],
    ['an amount of 0', { code: 'ABCD', kind: 'discount', discount_amount: 0 }, 'discount_amount must not be less than 0.01'],
    ['an amount of three decimals', { code: 'ABCD', kind: 'discount', discount_amount: 1.005 }, 'discount_amount must be a number from 0 to 1,000,000 with at most 2 decimals'],
    ['max_uses of 0', { code: 'ABCD', kind: 'access', max_uses: 0 }, 'max_uses must not be less than 1'],
    ['a window that ends as it starts', { code: 'ABCD', kind: 'access', valid_from: '2030-01-01T00:00:00Z', valid_until: '2030-01-01T01:00:00+01:00' }, 'valid_until must be later than valid_from'],
    ['a date without a zone', { code: 'ABCD', kind: 'access', valid_until: '2030-01-01T00:00:00' }, 'valid_until must be an ISO 8601 date-time with a time zone'],
    ['no categories', { code: 'ABCD', kind: 'access', ticket_categories: [] }, 'ticket_categories must contain at least 1 elements'],
    ['a category twice', { code: 'ABCD', kind: 'access', ticket_categories: ['VIP', 'vip'] }, 'ticket_categories must name each category once (compared case-insensitively)'],
  ])('answers 400 VALIDATION_FAILED for %s', async (_label, body, message) => {
    const event = await concert();
    const response = await createCode(event.id, body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.message).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  it('refuses a discount_amount above the price of a category it applies to, and allows it where it applies only to dearer ones', async () => {
    const event = await concert();

    const everywhere = await createCode(event.id, { code: 'BIGONE', kind: 'discount', discount_amount: 45 });
    const onVip = await createCode(event.id, { code: 'BIGVIP', kind: 'discount', discount_amount: 45, ticket_categories: ['VIP'] });
    const wholePrice = await createCode(event.id, { code: 'FREEBIE', kind: 'discount', discount_amount: 40, ticket_categories: ['Presale'] });

    expect(everywhere.status).toBe(400);
    expect(everywhere.body.message).toEqual(['discount_amount must not exceed the price of every category it applies to: "Presale" costs 40']);
    expect(onVip.status).toBe(201);
    expect(wholePrice.status).toBe(201);
  });

  it('takes an access code with or without one discount, naming the hidden categories it unlocks', async () => {
    const event = await concert();
    expect((await createCode(event.id, { code: 'FRIENDS', kind: 'access', ticket_categories: ['Presale'] })).status).toBe(201);
    expect((await createCode(event.id, { code: 'FRIENDS-10', kind: 'access', discount_percent: 10, ticket_categories: ['Presale'] })).body).toMatchObject({ kind: 'access', discount_percent: 10 });
  });

  it('answers 422 TICKET_CATEGORY_NOT_FOUND for a category the event does not have', async () => {
    const event = await concert();
    const response = await createCode(event.id, { code: 'ABCD', kind: 'access', ticket_categories: ['Balcony'] });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'TICKET_CATEGORY_NOT_FOUND', message: `Event ${event.id} has no ticket category named "Balcony".` });
  });

  it('answers 401 without a key, 404 EVENT_NOT_FOUND for another organiser, 409 for a cancelled or past event', async () => {
    const event = await concert();
    const rival = await testApp.app.get(ApiKeyStore).createOrganizer(`rival-${event.id}`);
    const cancelled = await concert();
    await testApp.http().post(`/events/${cancelled.id}/cancel`).set('Authorization', organizerAuth).expect(200);
    const past = await concert();
    await moveEventIntoThePast(testApp.dataSource, past.id);
    const body = { code: 'ABCD', kind: 'access' };

    const anonymous = await testApp.http().post(`/events/${event.id}/codes`).send(body);
    expect(anonymous.status).toBe(401);
    expect((await createCode(event.id, body, `Bearer ${rival}`)).body).toMatchObject({ code: 'EVENT_NOT_FOUND' });
    expect((await createCode(987654321, body)).status).toBe(404);
    expect((await createCode(cancelled.id, body)).body).toMatchObject({ code: 'EVENT_CANCELLED' });
    expect((await createCode(past.id, body)).body).toMatchObject({ code: 'EVENT_IN_PAST' });
  });

  it('replays a retried creation with the same Idempotency-Key instead of answering 409', async () => {
    const event = await concert();
    const send = () => testApp.http().post(`/events/${event.id}/codes`).set('Authorization', organizerAuth).set('Idempotency-Key', `code-${event.id}`).send({ code: 'ONCE', kind: 'access' });
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });
});

describe('GET /events/:id/codes', () => {
  it('lists the codes with their uses, oldest first, a page at a time', async () => {
    const event = await concert();
    for (const code of ['AAAA', 'BBBB', 'CCCC']) await createCode(event.id, { code, kind: 'discount', discount_percent: 10, max_uses: 5 });
    await book(event.id, { ticket_category: 'General', quantity: 2, code: 'bbbb' });

    const first = await listCodes(event.id, '?limit=2');
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1] as string;
    const second = await testApp.http().get(next).set('Authorization', organizerAuth);

    expect(first.status).toBe(200);
    expect(first.body.map((code: { code: string; uses: number }) => [code.code, code.uses])).toEqual([
      ['AAAA', 0],
      ['BBBB', 1],
    ]);
    expect(second.body.map((code: { code: string }) => code.code)).toEqual(['CCCC']);
    expect(second.headers.link).toBeUndefined();
  });

  it('answers 404 EVENT_NOT_FOUND for an event that is not the caller’s, and 400 for a foreign cursor', async () => {
    const event = await concert();
    const rival = await testApp.app.get(ApiKeyStore).createOrganizer(`lister-${event.id}`);
    expect((await testApp.http().get(`/events/${event.id}/codes`).set('Authorization', `Bearer ${rival}`)).status).toBe(404);
    expect((await listCodes(event.id, '?cursor=WzAuNV0')).body.code).toBe('VALIDATION_FAILED');
  });
});

describe('PATCH /events/:id/codes/:code', () => {
  it('changes the terms it is sent, leaves the others, and finds the code in any case', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'SPRING', kind: 'discount', discount_percent: 10, max_uses: 5 });

    const response = await patchCode(event.id, 'spring', { discount_percent: 20, valid_until: '2030-06-01T00:00:00+02:00', ticket_categories: ['General', 'VIP'] });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ code: 'SPRING', discount_percent: 20, max_uses: 5, valid_until: '2030-05-31T22:00:00.000Z', ticket_categories: ['General', 'VIP'] });
  });

  it('switches a percentage for an amount only when the percentage is sent as null', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'SWITCH', kind: 'discount', discount_percent: 10 });

    const both = await patchCode(event.id, 'SWITCH', { discount_amount: 5 });
    const switched = await patchCode(event.id, 'SWITCH', { discount_amount: 5, discount_percent: null });
    const neither = await patchCode(event.id, 'SWITCH', { discount_amount: null });

    expect(both.status).toBe(400);
    expect(both.body.message).toEqual(['a code takes discount_percent or discount_amount, not both (send the other as null to switch)']);
    expect(switched.body).toMatchObject({ discount_percent: null, discount_amount: 5 });
    expect(neither.body.message).toEqual(['a discount code needs discount_percent or discount_amount']);
  });

  it('removes a limit, a window or the categories with null', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'LIMITS', kind: 'access', max_uses: 3, valid_from: '2026-01-01T00:00:00Z', ticket_categories: ['Presale'] });
    const response = await patchCode(event.id, 'LIMITS', { max_uses: null, valid_from: null, ticket_categories: null });
    expect(response.body).toMatchObject({ max_uses: null, valid_from: null, ticket_categories: null });
  });

  it('answers 409 MAX_USES_BELOW_USES for a limit under the uses already counted', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'POPULAR', kind: 'discount', discount_percent: 5, max_uses: 10 });
    for (let i = 0; i < 3; i++) expect((await book(event.id, { ticket_category: 'General', quantity: 1, code: 'POPULAR' })).status).toBe(201);

    const below = await patchCode(event.id, 'POPULAR', { max_uses: 2 });
    const atUses = await patchCode(event.id, 'POPULAR', { max_uses: 3 });

    expect(below.status).toBe(409);
    expect(below.body).toMatchObject({ code: 'MAX_USES_BELOW_USES', message: 'max_uses cannot go below the 3 uses already counted.' });
    expect(atUses.body).toMatchObject({ max_uses: 3, uses: 3 });
    expect((await book(event.id, { ticket_category: 'General', quantity: 1, code: 'POPULAR' })).body.code).toBe('CODE_EXHAUSTED');
  });

  it('checks a new amount against the prices it applies to, and a new window as a whole', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'AMOUNT', kind: 'discount', discount_amount: 10, valid_from: '2026-06-01T00:00:00Z' });
    expect((await patchCode(event.id, 'AMOUNT', { discount_amount: 41 })).status).toBe(400);
    expect((await patchCode(event.id, 'AMOUNT', { discount_amount: 41, ticket_categories: ['VIP'] })).status).toBe(200);
    expect((await patchCode(event.id, 'AMOUNT', { valid_until: '2026-05-01T00:00:00Z' })).body.message).toEqual(['valid_until must be later than valid_from']);
  });

  it('leaves an amount alone that a later price cut put above a price, unless the amount or its categories change', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'TENOFF', kind: 'discount', discount_amount: 10 });
    await testApp.http().patch(`/events/${event.id}`).set('Authorization', organizerAuth).send({ ticket_categories: [{ name: 'Presale', price: 5 }] }).expect(200);

    expect((await patchCode(event.id, 'TENOFF', { max_uses: 5 })).status).toBe(200);
    expect((await patchCode(event.id, 'TENOFF', { discount_amount: 9 })).body.message).toEqual(['discount_amount must not exceed the price of every category it applies to: "Presale" costs 5']);
  });

  it('answers 404 CODE_NOT_FOUND for a code the event does not have, whatever its form', async () => {
    const event = await concert();
    for (const code of ['NOPE', 'ab', 'x'.repeat(41)]) {
      const response = await patchCode(event.id, code, { max_uses: 1 });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('CODE_NOT_FOUND');
    }
  });

  it('refuses to change the code itself or its kind', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'FIXED', kind: 'access' });
    const response = await patchCode(event.id, 'FIXED', { code: 'OTHER', kind: 'discount' });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(['property code should not exist', 'property kind should not exist']);
  });
});

describe('DELETE /events/:id/codes/:code', () => {
  it('disables the code: later bookings with it fail, earlier ones keep their price and their use', async () => {
    const event = await concert();
    await createCode(event.id, { code: 'GONE', kind: 'discount', discount_percent: 50 });
    const earlier = await book(event.id, { ticket_category: 'VIP', quantity: 1, code: 'gone' });

    const disabled = await disableCode(event.id, 'gone');
    const again = await disableCode(event.id, 'GONE');
    const later = await book(event.id, { ticket_category: 'VIP', quantity: 1, code: 'GONE' });

    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ code: 'GONE', uses: 1, disabled_at: expect.stringMatching(/Z$/) });
    expect(again.body.disabled_at).toBe(disabled.body.disabled_at);
    expect(later.status).toBe(422);
    expect(later.body.code).toBe('CODE_NOT_VALID');
    expect((await testApp.http().get(`/bookings/${earlier.body.reference}`)).body).toMatchObject({ unit_price: 75, code: 'GONE', discount_total: 75 });
    expect((await listCodes(event.id)).body[0]).toMatchObject({ code: 'GONE', disabled_at: disabled.body.disabled_at });
  });

  it('answers 404 CODE_NOT_FOUND for an unknown code and 401 without a key', async () => {
    const event = await concert();
    expect((await disableCode(event.id, 'NOPE')).body.code).toBe('CODE_NOT_FOUND');
    expect((await testApp.http().delete(`/events/${event.id}/codes/NOPE`)).status).toBe(401);
  });
});
