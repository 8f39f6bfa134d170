import { request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/environment.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from './support/built-app.js';
import { categoryStates, organizerAuth } from './support/fixtures.js';
import { createMigratedDatabase, dropDatabase } from './support/test-database.js';

const database = parseDatabaseUrl(process.env.DATABASE_URL);
let app: BuiltApp;
const BUYERS = 200;
const SEATS = 120;

interface Outcome {
  at: number;
  status?: number;
  body?: { id?: number; code?: string };
  error?: string;
}

/**
 * One request on its own connection, like distinct buyers. `sent` resolves once the request has
 * been written; the outcome is what the client saw, and when.
 */
function post(baseUrl: string, path: string, body: unknown): { sent: Promise<void>; outcome: Promise<Outcome> } {
  let sent!: () => void;
  const written = new Promise<void>((resolve) => (sent = resolve));
  const outcome = new Promise<Outcome>((settle) => {
    const resolve = (result: Omit<Outcome, 'at'>) => settle({ ...result, at: Date.now() });
    const payload = JSON.stringify(body);
    const request = httpRequest(
      `${baseUrl}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Authorization: organizerAuth },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(text) as Outcome['body'] }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    request.on('error', (error) => resolve({ error: error.message }));
    request.end(payload, sent);
  });
  return { sent: written, outcome };
}

beforeAll(async () => {
  ensureBuilt();
  await createMigratedDatabase(database);
  app = await startBuiltApp({ DATABASE_URL: process.env.DATABASE_URL ?? '' });
}, 120_000);

afterAll(async () => {
  if (app.child.exitCode === null) app.child.kill('SIGKILL');
  await dropDatabase(database);
});

describe('SIGTERM while bookings are in flight', () => {
  it('answers every request it has read without a 5xx, keeps every 201 in the database and the seat invariant, then exits 0', async () => {
    const event = await post(app.baseUrl, '/events', {
      name: 'Last Night',
      venue: 'Hall',
      date: new Date(Date.now() + 86_400_000).toISOString(),
      ticket_categories: [{ name: 'Floor', price: 30, seats_limit: SEATS }],
    }).outcome;
    expect(event.status).toBe(201);
    const eventId = event.body?.id ?? 0;

    const bookings = Array.from({ length: BUYERS }, () =>
      post(app.baseUrl, `/events/${eventId}/book`, { ticket_category: 'Floor', quantity: 1 }),
    );
    // Every request is on the wire and has had a moment to reach the server, which is still
    // booking them one by one when the signal arrives.
    await Promise.all(bookings.map((booking) => booking.sent));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const outcomes = await Promise.all(bookings.map((booking) => booking.outcome));
    const exitCode = await app.exited;

    expect(outcomes.filter((outcome) => outcome.at > signalledAt).length).toBeGreaterThan(0);
    expect(exitCode).toBe(0);
    // A connection the server had not read a request from when it stopped listening is reset
    // (the client may retry elsewhere); every request it did read is answered in full.
    const answered = outcomes.filter((outcome) => outcome.error === undefined);
    expect(outcomes.filter((outcome) => outcome.error !== undefined && !/ECONNRESET|ECONNREFUSED|socket hang up/.test(outcome.error))).toEqual([]);
    expect(answered.filter((outcome) => outcome.status !== 201 && outcome.body?.code !== 'SOLD_OUT')).toEqual([]);
    const created = answered.filter((outcome) => outcome.status === 201).map((outcome) => outcome.body?.id);
    expect(created.length).toBeGreaterThan(0);

    const dataSource = await new DataSource(dataSourceOptions({ url: database, poolSize: 1 })).initialize();
    try {
      const stored: { id: number | string }[] = await dataSource.query('SELECT id FROM bookings WHERE event_id = ?', [eventId]);
      expect(stored.map((row) => Number(row.id)).sort((a, b) => a - b)).toEqual([...created].sort((a, b) => (a ?? 0) - (b ?? 0)));
      expect(await categoryStates(dataSource, eventId)).toEqual([
        { name: 'Floor', seatsLimit: SEATS, seatsSold: created.length, bookedQuantity: created.length },
      ]);
    } finally {
      await dataSource.destroy();
    }
    expect(app.output()).toContain('SIGTERM received');
  });
});
