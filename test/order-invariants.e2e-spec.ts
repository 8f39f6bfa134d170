import { seededRandom } from './support/mixed-load.js';
import { createEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * A few hundred concurrent operations of every kind over overlapping categories — orders of
 * several lines, holds that are confirmed, released or left to expire, cancellations, check-ins
 * and duplicate scans — then every invariant checked exactly against the tables.
 */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ HOLD_TTL_SECONDS: '1', HOLD_SWEEP_INTERVAL_SECONDS: '1' });
});

afterAll(async () => {
  await testApp.close();
});

const CATEGORIES = [
  { name: 'A', price: 10, seats_limit: 40, seats_sold: 5 },
  { name: 'B', price: 20, seats_limit: 30, seats_sold: 0 },
  { name: 'C', price: 35, seats_limit: 20, seats_sold: 2 },
];
const FLOWS = 300;
const CONCURRENCY = 20;
const EXPECTED_REFUSALS = new Set(['SOLD_OUT', 'INSUFFICIENT_SEATS', 'HOLD_EXPIRED', 'ALREADY_CHECKED_IN', 'TICKET_CANCELLED', 'BUSY_TRY_AGAIN']);

interface Outcomes {
  unexpected: string[];
  admissions: Map<string, number>;
  bookings: string[];
  tickets: string[];
}

describe('a burst of orders, holds, cancellations and check-ins over overlapping categories', () => {
  it('keeps every seat, line, ticket and check-in invariant exactly, on both databases', async () => {
    const event = await createEvent(testApp, { ticket_categories: CATEGORIES });
    const random = seededRandom(15);
    const outcomes: Outcomes = { unexpected: [], admissions: new Map(), bookings: [], tickets: [] };
    const record = (label: string, response: { status: number; body: Record<string, unknown> }) => {
      if (response.status >= 500 || (response.status >= 400 && !EXPECTED_REFUSALS.has(response.body.code as string))) {
        outcomes.unexpected.push(`${label} ${response.status} ${JSON.stringify(response.body)}`);
      }
      return response;
    };
    const lines = () => {
      const names = CATEGORIES.map((category) => category.name).filter(() => random() < 0.6);
      return (names.length > 0 ? names : ['A']).map((name) => ({ ticket_category: name, quantity: 1 + Math.floor(random() * 3) }));
    };
    const remember = (body: Record<string, unknown>) => {
      outcomes.bookings.push(body.reference as string);
      for (const ticket of body.tickets as { code: string }[]) outcomes.tickets.push(ticket.code);
    };

    const flows: (() => Promise<unknown>)[] = Array.from({ length: FLOWS }, (_, i) => async () => {
      const choice = random();
      if (choice < 0.35) {
        const booked = record('book', await testApp.http().post(`/events/${event.id}/book`).send({ items: lines() }));
        if (booked.status === 201) remember(booked.body);
      } else if (choice < 0.6) {
        const held = record('hold', await testApp.http().post(`/events/${event.id}/holds`).send({ items: lines() }));
        if (held.status !== 201) return;
        const next = random();
        if (next < 0.5) {
          const confirmed = record('confirm', await testApp.http().post(`/holds/${held.body.reference as string}/confirm`));
          if (confirmed.status === 201) remember(confirmed.body);
        } else if (next < 0.75) {
          record('release', await testApp.http().delete(`/holds/${held.body.reference as string}`));
        }
      } else if (choice < 0.72 && outcomes.bookings.length > 0) {
        const reference = outcomes.bookings[Math.floor(random() * outcomes.bookings.length)];
        record('cancel', await testApp.http().post(`/bookings/${reference}/cancel`));
      } else if (outcomes.tickets.length > 0) {
        const code = outcomes.tickets[Math.floor(random() * outcomes.tickets.length)];
        const scans = await Promise.all(
          Array.from({ length: 1 + (i % 3) }, () => testApp.http().post(`/events/${event.id}/check-ins`).set('Authorization', organizerAuth).send({ code })),
        );
        for (const scan of scans) {
          record('check-in', scan);
          if (scan.status === 200) outcomes.admissions.set(code, (outcomes.admissions.get(code) ?? 0) + 1);
        }
      }
    });
    for (let start = 0; start < flows.length; start += CONCURRENCY) await Promise.all(flows.slice(start, start + CONCURRENCY).map((flow) => flow()));
    // Holds left alone expire within a second; the sweep then returns their seats.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await poll(async () => Number((await testApp.dataSource.query("SELECT COUNT(*) AS n FROM order_lines l JOIN holds h ON h.reference = l.reference WHERE l.state = 'held'"))[0].n) === 0);

    expect(outcomes.unexpected).toEqual([]);
    expect(outcomes.bookings.length).toBeGreaterThan(20);
    expect(outcomes.admissions.size).toBeGreaterThan(5);
    expect([...outcomes.admissions.values()].every((count) => count === 1)).toBe(true);

    for (const category of CATEGORIES) {
      const [row] = await testApp.dataSource.query(
        `SELECT c.seats_sold, c.seats_held, c.seats_limit,
                (SELECT COUNT(*) FROM tickets t WHERE t.ticket_category_id = c.id AND t.status = 'valid') AS valid_tickets,
                (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.ticket_category_id = c.id AND l.state = 'sold') AS sold_lines,
                (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.ticket_category_id = c.id AND l.state = 'held') AS held_lines
           FROM ticket_categories c WHERE c.event_id = ? AND c.name = ?`,
        [event.id, category.name],
      );
      const sold = Number(row.seats_sold) - category.seats_sold;
      expect({ category: category.name, validTickets: Number(row.valid_tickets), soldLines: Number(row.sold_lines), held: Number(row.seats_held) }).toEqual({
        category: category.name,
        validTickets: sold,
        soldLines: sold,
        held: Number(row.held_lines),
      });
      expect(Number(row.seats_sold) + Number(row.seats_held)).toBeLessThanOrEqual(Number(row.seats_limit));
    }
    const mismatched = await testApp.dataSource.query(
      `SELECT b.reference, b.status, b.quantity,
              (SELECT COUNT(*) FROM tickets t WHERE t.reference = b.reference AND t.status = 'valid') AS valid,
              (SELECT COUNT(*) FROM tickets t WHERE t.reference = b.reference) AS tickets
         FROM bookings b WHERE b.event_id = ?`,
      [event.id],
    );
    for (const booking of mismatched as { status: string; quantity: number | string; valid: number | string; tickets: number | string }[]) {
      expect(Number(booking.tickets)).toBe(Number(booking.quantity));
      expect(Number(booking.valid)).toBe(booking.status === 'confirmed' ? Number(booking.quantity) : 0);
    }
    const [{ checked }] = await testApp.dataSource.query('SELECT COUNT(*) AS checked FROM tickets WHERE event_id = ? AND checked_in_at IS NOT NULL', [event.id]);
    expect(Number(checked)).toBe(outcomes.admissions.size);
  });
});

async function poll(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
