import { NormaliseCategoryNames1764921600000 } from '../src/database/migrations/1764921600000-normalise-category-names.js';
import { TicketCategory } from '../src/inventory/ticket-category.entity.js';
import { createEvent, moveEventIntoThePast, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * What an organiser's writes keep true on both databases, however they are spelt or raced:
 * category names in one form, at most 50 categories, and past events left as history.
 */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

function patch(eventId: number, body: object) {
  return testApp.http().patch(`/events/${eventId}`).set('Authorization', organizerAuth).send(body);
}

function categoryNames(event: { ticket_categories: { name: string }[] }): string[] {
  return event.ticket_categories.map((category) => category.name);
}

describe('category names', () => {
  it('are stored trimmed and in Unicode NFC, and booked by what they look like', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: '  Café VIP ', price: 10, seats_limit: 5 }] });
    expect(categoryNames(event as never)).toEqual(['Café VIP']);

    const booked = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'cafe\u0301 vip  ', quantity: 1 });
    expect(booked.status).toBe(201);
    expect(booked.body.ticket_category).toBe('Café VIP');
  });

  it.each([
    ['a trailing space', ['General', 'General ']],
    ['another Unicode spelling', ['Café', 'Cafe\u0301']],
  ])('that differ only by %s are duplicates: 400 VALIDATION_FAILED, on both databases', async (_label, names) => {
    const response = await testApp
      .http()
      .post('/events')
      .set('Authorization', organizerAuth)
      .send({ name: 'Gig', venue: 'Hall', date: '2031-01-01T20:00:00Z', ticket_categories: names.map((name) => ({ name, price: 10, seats_limit: 5 })) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: ['ticket_categories must have unique names (compared case-insensitively)'] });
  });

  it('stored before they were normalised are brought to the normal form, unless another category already has it', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Stalls', price: 10, seats_limit: 5 }] });
    const categories = testApp.dataSource.getRepository(TicketCategory);
    const base = { eventId: event.id, priceCents: 100, seatsLimit: 1, seatsSold: 0, seatsHeld: 0, maxPerBooking: null, salesClosed: false, salesStart: null, salesEnd: null, hidden: false };
    await categories.insert([
      { ...base, name: 'Late ', nameKey: 'late ' },
      { ...base, name: 'Cafe\u0301', nameKey: 'cafe\u0301' },
      { ...base, name: 'stalls\u00a0', nameKey: 'stalls\u00a0' },
    ]);
    const runner = testApp.dataSource.createQueryRunner();
    try {
      await new NormaliseCategoryNames1764921600000().up(runner);
    } finally {
      await runner.release();
    }
    const stored = await categories.find({ where: { eventId: event.id }, order: { id: 'ASC' } });
    expect(stored.map(({ name, nameKey }) => [name, nameKey])).toEqual([
      ['Stalls', 'stalls'],
      ['Late', 'late'],
      ['Café', 'café'],
      ['stalls\u00a0', 'stalls\u00a0'],
    ]);
  });

  it('name an existing category in a PATCH however they are spelt', async () => {
    const event = await createEvent(testApp);
    const response = await patch(event.id, { ticket_categories: [{ name: ' vip ', price: 99 }] });
    expect(response.status).toBe(200);
    expect(response.body.ticket_categories).toEqual([expect.objectContaining({ name: 'General' }), expect.objectContaining({ name: 'VIP', price: 99 })]);
  });
});

describe('concurrent PATCHes of one event', () => {
  it('add a new category once, however many add it at the same time', async () => {
    const event = await createEvent(testApp);
    const responses = await Promise.all(Array.from({ length: 6 }, () => patch(event.id, { ticket_categories: [{ name: 'Balcony', price: 30, seats_limit: 20 }] })));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(categoryNames((await testApp.http().get(`/events/${event.id}`)).body)).toEqual(['General', 'VIP', 'Balcony']);
  });

  it('never take an event past 50 categories between them', async () => {
    const event = await createEvent(testApp, { ticket_categories: Array.from({ length: 10 }, (_, i) => ({ name: `Base ${i}`, price: 1, seats_limit: 1 })) });
    const additions = (prefix: string) => ({ ticket_categories: Array.from({ length: 40 }, (_, i) => ({ name: `${prefix} ${i}`, price: 1, seats_limit: 1 })) });

    const responses = await Promise.all([patch(event.id, additions('Left')), patch(event.id, additions('Right'))]);

    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
    expect(responses.find((response) => response.status === 400)?.body).toMatchObject({ code: 'VALIDATION_FAILED', message: ['an event has at most 50 ticket categories'] });
    expect((await testApp.http().get(`/events/${event.id}`)).body.ticket_categories).toHaveLength(50);
  });
});

describe('an event that has taken place', () => {
  it('can be neither changed nor cancelled: 409 EVENT_IN_PAST, and its bookings stay as they were', async () => {
    const event = await createEvent(testApp);
    const booked = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'General', quantity: 2 });
    await moveEventIntoThePast(testApp.dataSource, event.id);

    const changed = await patch(event.id, { venue: 'Elsewhere' });
    const cancelled = await testApp.http().post(`/events/${event.id}/cancel`).set('Authorization', organizerAuth);

    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ code: 'EVENT_IN_PAST', message: `Event ${event.id} has already taken place; it can no longer be changed.` });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body).toMatchObject({ code: 'EVENT_IN_PAST', message: `Event ${event.id} has already taken place; it can no longer be cancelled.` });
    expect((await testApp.http().get(`/events/${event.id}`)).body).toMatchObject({ venue: 'Stadium A', status: 'scheduled' });
    expect((await testApp.http().get(`/bookings/${booked.body.reference}`)).body.status).toBe('confirmed');
  });
});
