import { DataSource } from 'typeorm';
import { parseDatabaseUrl, type DatabaseUrl } from '../src/config/environment.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { migrations } from '../src/database/migrations/index.js';
import { OrganiserConfig1765180800000 } from '../src/database/migrations/1765180800000-organiser-config.js';
import { createEvent, eventBody, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { createDatabase, dropDatabase } from './support/test-database.js';

/** Every event has a time zone its dates read in, and a currency its prices are exact in (here DEFAULT_CURRENCY is CHF). */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ DEFAULT_CURRENCY: 'CHF' });
});

afterAll(async () => {
  await testApp.close();
});

function post(body: Record<string, unknown>) {
  return testApp.http().post('/events').set('Authorization', organizerAuth).send(eventBody(body));
}

function patch(eventId: number, body: Record<string, unknown>) {
  return testApp.http().patch(`/events/${eventId}`).set('Authorization', organizerAuth).send(body);
}

describe('time zones', () => {
  it('default to UTC, whose local date carries +00:00', async () => {
    const event = await createEvent(testApp, { date: '2031-06-15T18:00:00Z' });
    expect(event).toMatchObject({ timezone: 'UTC', date: '2031-06-15T18:00:00.000Z', local_date: '2031-06-15T18:00:00+00:00' });
  });

  it("give the local date with the zone's offset at that instant, summer and winter", async () => {
    const summer = await createEvent(testApp, { timezone: 'Europe/Berlin', date: '2031-06-15T20:00:00+02:00' });
    const winter = await createEvent(testApp, { timezone: 'Europe/Berlin', date: '2031-01-15T20:00:00+01:00' });
    const newYork = await createEvent(testApp, { timezone: 'America/New_York', date: '2031-06-15T18:00:00Z' });

    expect(summer).toMatchObject({ date: '2031-06-15T18:00:00.000Z', local_date: '2031-06-15T20:00:00+02:00' });
    expect(winter).toMatchObject({ date: '2031-01-15T19:00:00.000Z', local_date: '2031-01-15T20:00:00+01:00' });
    expect(newYork.local_date).toBe('2031-06-15T14:00:00-04:00');
  });

  it.each([
    ['just before clocks go forward', '2031-03-30T00:59:00Z', '2031-03-30T01:59:00+01:00'],
    ['just after clocks go forward', '2031-03-30T01:00:00Z', '2031-03-30T03:00:00+02:00'],
    ['before clocks go back: the first 02:30', '2031-10-26T00:30:00Z', '2031-10-26T02:30:00+02:00'],
    ['after clocks go back: the second 02:30', '2031-10-26T01:30:00Z', '2031-10-26T02:30:00+01:00'],
  ])('follow the daylight-saving change in Berlin %s', async (_label, date, localDate) => {
    const event = await createEvent(testApp, { timezone: 'Europe/Berlin', date });
    expect((await testApp.http().get(`/events/${event.id}`)).body.local_date).toBe(localDate);
  });

  it('are stored in their canonical spelling', async () => {
    expect((await createEvent(testApp, { timezone: 'europe/berlin' })).timezone).toBe('Europe/Berlin');
    expect((await createEvent(testApp, { timezone: 'US/Eastern' })).timezone).toBe('America/New_York');
  });

  it.each(['Mars/Olympus_Mons', '+02:00', 'UTC+2', 'Europe/Berlin ', '', 'Z'])('refuse %j with 400 VALIDATION_FAILED', async (timezone) => {
    const response = await post({ timezone });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(['timezone must be an IANA time zone name such as Europe/Berlin or UTC']);
  });

  it("change by PATCH how the dates read, not when the event is; bookings' events follow", async () => {
    const event = await createEvent(testApp, { timezone: 'Europe/Berlin', date: '2031-06-15T18:00:00Z' });
    const booked = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'General', quantity: 1 });
    expect(booked.body.event).toMatchObject({ date: '2031-06-15T18:00:00.000Z', local_date: '2031-06-15T20:00:00+02:00' });

    const changed = await patch(event.id, { timezone: 'Asia/Tokyo' });

    expect(changed.body).toMatchObject({ timezone: 'Asia/Tokyo', date: '2031-06-15T18:00:00.000Z', local_date: '2031-06-16T03:00:00+09:00' });
    expect((await testApp.http().get(`/bookings/${booked.body.reference}`)).body.event.local_date).toBe('2031-06-16T03:00:00+09:00');
    expect((await patch(event.id, { timezone: 'Nowhere' })).status).toBe(400);
  });
});

describe('currencies', () => {
  it('default to DEFAULT_CURRENCY, and are on the event, its bookings and its holds', async () => {
    const event = await createEvent(testApp);
    const booked = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'General', quantity: 1 });
    const held = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'General', quantity: 1 });
    expect([event.currency, booked.body.currency, held.body.currency]).toEqual(['CHF', 'CHF', 'CHF']);
  });

  it('take prices exact to the minor unit: whole yen on a JPY event', async () => {
    const fine = await post({ currency: 'JPY', ticket_categories: [{ name: 'S', price: 1500, seats_limit: 10 }] });
    const fractional = await post({ currency: 'JPY', ticket_categories: [{ name: 'S', price: 1500, seats_limit: 10 }, { name: 'A', price: 1500.5, seats_limit: 10 }] });
    const cents = await post({ currency: 'USD', ticket_categories: [{ name: 'S', price: 19.99, seats_limit: 10 }] });

    expect(fine.status).toBe(201);
    expect(fine.body).toMatchObject({ currency: 'JPY', ticket_categories: [{ price: 1500 }] });
    expect(fractional.status).toBe(400);
    expect(fractional.body).toMatchObject({ code: 'VALIDATION_FAILED', message: ['ticket_categories.1.price must be a whole number: JPY has no minor unit'] });
    expect(cents.body.ticket_categories[0].price).toBe(19.99);
  });

  it("check a PATCH's prices, and a code's amount, against the event's currency", async () => {
    const event = await createEvent(testApp, { currency: 'JPY', ticket_categories: [{ name: 'S', price: 3000, seats_limit: 10 }] });

    const changed = await patch(event.id, { ticket_categories: [{ name: 'S', price: 10.5 }] });
    const added = await patch(event.id, { ticket_categories: [{ name: 'B', price: 99.99, seats_limit: 5 }] });
    const whole = await patch(event.id, { ticket_categories: [{ name: 'S', price: 2500 }] });
    const amount = await testApp.http().post(`/events/${event.id}/codes`).set('Authorization', organizerAuth).send({ code: 'YENOFF', kind: 'discount', discount_amount: 100.5 });

    expect(changed.body.message).toEqual(['ticket_categories.0.price must be a whole number: JPY has no minor unit']);
    expect(added.body.message).toEqual(['ticket_categories.0.price must be a whole number: JPY has no minor unit']);
    expect(whole.body.ticket_categories[0].price).toBe(2500);
    expect(amount.body.message).toEqual(['discount_amount must be a whole number: JPY has no minor unit']);
  });

  it('take a percentage off in whole yen: 1,500 at 33 % off is 1,005', async () => {
    const event = await createEvent(testApp, { currency: 'JPY', ticket_categories: [{ name: 'S', price: 1500, seats_limit: 10 }] });
    await testApp.http().post(`/events/${event.id}/codes`).set('Authorization', organizerAuth).send({ code: 'THIRD', kind: 'discount', discount_percent: 33 }).expect(201);
    const booked = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'S', quantity: 2, code: 'THIRD' });
    expect(booked.body).toMatchObject({ currency: 'JPY', unit_price: 1005, total_price: 2010, discount_total: 990 });
  });

  it.each(['eur', 'EURO', 'XYZ', 'BHD', 'XAU'])('refuse %j with 400 VALIDATION_FAILED', async (currency) => {
    const response = await post({ currency });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(['currency must be an ISO 4217 currency code in capitals with at most 2 decimals, such as EUR, USD or JPY']);
  });

  it('cannot be changed once the event is published', async () => {
    const event = await createEvent(testApp);
    const response = await patch(event.id, { currency: 'USD' });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(['property currency should not exist']);
  });
});

describe('the migration to time zones, currencies and codes', () => {
  /** A database of its own beside the spec's, migrated step by step. */
  function besideSpecDatabase(): DatabaseUrl {
    const own = parseDatabaseUrl(process.env.DATABASE_URL);
    return own.kind === 'mysql' ? { ...own, database: `${own.database}_migrated` } : { kind: 'sqlite', path: own.path.replace(/\.sqlite$/, '_migrated.sqlite') };
  }

  async function migratedUpTo(url: DatabaseUrl, count: number): Promise<DataSource> {
    const dataSource = new DataSource({ ...dataSourceOptions({ url, poolSize: 2 }), migrations: migrations.slice(0, count) });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  }

  it('gives existing events UTC and DEFAULT_CURRENCY, lines their price as original, and indexes their words, then their venues', async () => {
    const url = besideSpecDatabase();
    await createDatabase(url);
    try {
      const timeZonesAndCodes = migrations.indexOf(OrganiserConfig1765180800000);
      const before = await migratedUpTo(url, timeZonesAndCodes);
      try {
        // Written as both databases read a DATETIME: in UTC, without a zone.
        const date = '2031-06-15 18:00:00.000';
        await before.query("INSERT INTO events (name, venue, details, date, created_at, status) VALUES ('Café Nights', 'Blue Note', NULL, ?, ?, 'scheduled')", [date, date]);
        await before.query("INSERT INTO ticket_categories (event_id, name, name_key, price, seats_limit, seats_sold, seats_held, max_per_booking) VALUES (1, 'Floor', 'floor', 12.5, 10, 1, 0, NULL)");
        await before.query("INSERT INTO bookings (reference, status, event_id, ticket_category_id, quantity, unit_price, total_price, created_at) VALUES ('R67AJW8XQS72', 'confirmed', 1, 1, 1, 12.5, 12.5, ?)", [date]);
        await before.query("INSERT INTO order_lines (reference, event_id, ticket_category_id, position, quantity, unit_price, total_price, state) VALUES ('R67AJW8XQS72', 1, 1, 0, 1, 12.5, 12.5, 'sold')");
      } finally {
        await before.destroy();
      }

      const after = await migratedUpTo(url, timeZonesAndCodes + 1);
      try {
        const [event] = await after.query('SELECT timezone, currency FROM events');
        const [category] = await after.query('SELECT hidden, sales_start, sales_end FROM ticket_categories');
        const [booking] = await after.query('SELECT code, code_id, discount_total FROM bookings');
        const [line] = await after.query('SELECT unit_price, original_unit_price FROM order_lines');
        const terms = await after.query('SELECT term FROM event_search_terms ORDER BY term');

        expect(event).toEqual({ timezone: 'UTC', currency: 'CHF' });
        expect({ hidden: Number(category.hidden), start: category.sales_start, end: category.sales_end }).toEqual({ hidden: 0, start: null, end: null });
        expect({ code: booking.code, codeId: booking.code_id, discount: Number(booking.discount_total) }).toEqual({ code: null, codeId: null, discount: 0 });
        expect(Number(line.original_unit_price)).toBe(Number(line.unit_price));
        expect(terms.map((row: { term: string }) => row.term)).toEqual(['blue', 'cafe', 'nights', 'note']);
      } finally {
        await after.destroy();
      }

      const latest = await migratedUpTo(url, migrations.length);
      try {
        const [event] = await latest.query('SELECT venue_key FROM events');
        const grams = await latest.query('SELECT gram, date FROM event_venue_grams');
        expect(event.venue_key).toBe('blue note');
        expect(grams.map((row: { gram: string }) => row.gram).sort()).toEqual([' no', 'blu', 'e n', 'lue', 'not', 'ote', 'ue ']);
        expect(new Set(grams.map((row: { date: Date | string }) => new Date(row.date instanceof Date ? row.date : `${row.date}Z`).toISOString()))).toEqual(new Set(['2031-06-15T18:00:00.000Z']));
      } finally {
        await latest.destroy();
      }
    } finally {
      await dropDatabase(url);
    }
  });
});
