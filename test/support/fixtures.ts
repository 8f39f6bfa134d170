import type { DataSource } from 'typeorm';
import { venueKey } from '../../src/common/search-terms.js';
import { Hold } from '../../src/inventory/hold.entity.js';
import { Event, EventStatus } from '../../src/events/event.entity.js';
import { TicketCategory } from '../../src/inventory/ticket-category.entity.js';
import { TEST_ORGANIZER_API_KEY } from './organizer-key.js';
import type { TestApp } from './test-app.js';

/** The Authorization header of the organiser every spec starts with. */
export const organizerAuth = `Bearer ${TEST_ORGANIZER_API_KEY}`;

export function inDays(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString();
}

export interface CategoryInput {
  name: string;
  price: number;
  seats_limit: number;
  seats_sold?: number;
}

export function eventBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Music Concert',
    venue: 'Stadium A',
    date: inDays(30),
    details: 'A great music concert.',
    ticket_categories: [
      { name: 'General', price: 50, seats_limit: 100 },
      { name: 'VIP', price: 150, seats_limit: 50 },
    ],
    ...overrides,
  };
}

export async function createEvent(
  testApp: TestApp,
  overrides: Record<string, unknown> = {},
  ownerAuth = organizerAuth,
): Promise<{ id: number; [key: string]: unknown }> {
  const response = await testApp.http().post('/events').set('Authorization', ownerAuth).send(eventBody(overrides));
  if (response.status !== 201) throw new Error(`Could not create event: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: number };
}

/** The API refuses past dates, so a past event is written straight into the test database. */
export async function insertPastEvent(dataSource: DataSource, categoryName = 'General'): Promise<number> {
  const past = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const event = await dataSource.getRepository(Event).save({
    name: 'Yesterday',
    venue: 'Hall',
    venueKey: venueKey('Hall'),
    details: null,
    date: past,
    createdAt: past,
    organizerId: null,
    status: EventStatus.Scheduled,
    cancelledAt: null,
    timezone: 'UTC',
    currency: 'EUR',
  });
  await dataSource.getRepository(TicketCategory).save({
    eventId: event.id,
    name: categoryName,
    nameKey: categoryName.toLowerCase(),
    priceCents: 1000,
    seatsLimit: 10,
    seatsSold: 0,
    seatsHeld: 0,
    maxPerBooking: null,
    salesClosed: false,
    salesStart: null,
    salesEnd: null,
    hidden: false,
  });
  return event.id;
}

export interface CategoryState {
  name: string;
  seatsLimit: number;
  seatsSold: number;
  bookedQuantity: number;
}

/** Reads the seat counters next to the sum of booked quantities, straight from the database. */
export async function categoryStates(dataSource: DataSource, eventId: number): Promise<CategoryState[]> {
  const rows: { name: string; seats_limit: number | string; seats_sold: number | string; booked: number | string | null }[] =
    await dataSource.query(
      `SELECT c.name, c.seats_limit, c.seats_sold,
              (SELECT SUM(l.quantity) FROM order_lines l JOIN bookings b ON b.reference = l.reference WHERE l.ticket_category_id = c.id) AS booked
         FROM ticket_categories c WHERE c.event_id = ? ORDER BY c.id`,
      [eventId],
    );
  return rows.map((row) => ({
    name: row.name,
    seatsLimit: Number(row.seats_limit),
    seatsSold: Number(row.seats_sold),
    bookedQuantity: Number(row.booked ?? 0),
  }));
}

export interface HoldCounters {
  seatsSold: number;
  seatsHeld: number;
  seatsLimit: number;
  activeHeldQuantity: number;
  confirmedBookedQuantity: number;
}

/**
 * The lifecycle invariants' inputs for one category, straight from the database: the counters next
 * to what the order lines say they should be (held lines of holds, sold lines of confirmed bookings).
 */
export async function lifecycleCounters(dataSource: DataSource, eventId: number, categoryName: string): Promise<HoldCounters> {
  const [row]: Record<string, number | string | null>[] = await dataSource.query(
    `SELECT c.seats_sold, c.seats_held, c.seats_limit,
            (SELECT SUM(l.quantity) FROM order_lines l WHERE l.ticket_category_id = c.id AND l.state = 'held') AS active_held,
            (SELECT SUM(l.quantity) FROM order_lines l WHERE l.ticket_category_id = c.id AND l.state = 'sold') AS confirmed_booked
       FROM ticket_categories c WHERE c.event_id = ? AND c.name = ?`,
    [eventId, categoryName],
  );
  return {
    seatsSold: Number(row.seats_sold),
    seatsHeld: Number(row.seats_held),
    seatsLimit: Number(row.seats_limit),
    activeHeldQuantity: Number(row.active_held ?? 0),
    confirmedBookedQuantity: Number(row.confirmed_booked ?? 0),
  };
}

/** Moves a hold's expiry into the past, as if its time had run out. */
export async function expireHoldNow(dataSource: DataSource, reference: string): Promise<void> {
  await dataSource.getRepository(Hold).update({ reference }, { expiresAt: new Date(Date.now() - 1000) });
}

/** Moves an event into the past, as if it had taken place since it was booked. */
export async function moveEventIntoThePast(dataSource: DataSource, eventId: number): Promise<void> {
  await dataSource.getRepository(Event).update({ id: eventId }, { date: new Date(Date.now() - 60_000) });
}
