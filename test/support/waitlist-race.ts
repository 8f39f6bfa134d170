import { In, LessThanOrEqual, type DataSource } from 'typeorm';
import { Hold, HoldStatus } from '../../src/inventory/hold.entity.js';
import { LineState, OrderLine } from '../../src/inventory/order-line.entity.js';
import { TicketCategory } from '../../src/inventory/ticket-category.entity.js';
import { WaitlistEntry, WaitlistStatus } from '../../src/inventory/waitlist-entry.entity.js';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity.js';
import { call, createEventVia, listenAsOrganiser, type ApiAnswer } from './api-client.js';

/**
 * The waiting list's race, over HTTP to one or several instances: a sold-out category with 50
 * entries waiting, then cancellations, releases, expiries and public bookings and holds all at
 * once. What it checks is exact: every freed seat goes to a waiting entry (there are always
 * one-seat entries left to take one), none to the public.
 */
export const RACE = {
  seats: 60,
  bookings: 20,
  holds: 10,
  entries: 50,
  cancelled: 6,
  released: 4,
  expired: 4,
  publicBookings: 40,
  publicHolds: 10,
} as const;

/** Arrival order's quantities: 30 entries of one seat, 10 of two, 10 of three. */
const QUANTITIES = [1, 2, 1, 3, 1];
/** Each booking and hold of the sell-out takes two seats. */
const SEATS_EACH = 2;
export const FREED_SEATS = (RACE.cancelled + RACE.released + RACE.expired) * SEATS_EACH;

export interface RaceOutcome {
  eventId: number;
  publicAnswers: ApiAnswer[];
  organiserAnswers: ApiAnswer[];
}

export interface RaceSetup {
  baseUrls: string[];
  dataSource: DataSource;
  /** Runs the sweep wherever the test can (in process); instances started apart sweep on their own. */
  sweep?: () => Promise<unknown>;
}

export async function runWaitlistRace({ baseUrls, dataSource, sweep }: RaceSetup): Promise<RaceOutcome> {
  const at = (i: number) => baseUrls[i % baseUrls.length];
  // raceState reads the offers from the outbox.
  await listenAsOrganiser(baseUrls[0]);
  const eventId = await createEventVia(baseUrls[0], { ticket_categories: [{ name: 'Floor', price: 10, seats_limit: RACE.seats }] });
  const take = async (path: string, i: number) => {
    const answer = await call(at(i), 'POST', `/events/${eventId}/${path}`, { ticket_category: 'Floor', quantity: SEATS_EACH });
    if (answer.status !== 201) throw new Error(`Could not sell out: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.reference as string;
  };
  const bookings = await Promise.all(Array.from({ length: RACE.bookings }, (_, i) => take('book', i)));
  const holds = await Promise.all(Array.from({ length: RACE.holds }, (_, i) => take('holds', i)));
  for (let i = 0; i < RACE.entries; i++) {
    const quantity = QUANTITIES[i % QUANTITIES.length];
    const joined = await call(at(i), 'POST', `/events/${eventId}/waitlist`, { ticket_category: 'Floor', quantity, customer_email: `buyer${i}@example.com` });
    if (joined.status !== 201) throw new Error(`Could not join: ${joined.status} ${JSON.stringify(joined.body)}`);
  }

  const expiring = holds.slice(RACE.released, RACE.released + RACE.expired);
  await dataSource.getRepository(Hold).update({ reference: In(expiring) }, { expiresAt: new Date(Date.now() - 1000) });
  const organiser = [
    ...bookings.slice(0, RACE.cancelled).map((reference, i) => call(at(i), 'POST', `/bookings/${reference}/cancel`)),
    ...holds.slice(0, RACE.released).map((reference, i) => call(at(i + 1), 'DELETE', `/holds/${reference}`)),
  ];
  const rivals = [
    ...Array.from({ length: RACE.publicBookings }, (_, i) => call(at(i), 'POST', `/events/${eventId}/book`, { ticket_category: 'Floor', quantity: 1 })),
    ...Array.from({ length: RACE.publicHolds }, (_, i) => call(at(i + 2), 'POST', `/events/${eventId}/holds`, { ticket_category: 'Floor', quantity: 1 })),
  ];
  const sweeps = sweep ? [sweep(), sweep(), sweep()] : [];
  const [organiserAnswers, publicAnswers] = await Promise.all([Promise.all(organiser), Promise.all(rivals), Promise.all(sweeps)]);
  await untilNoOverdueHolds(dataSource, eventId, sweep);
  return { eventId, publicAnswers, organiserAnswers };
}

/** The sweep has returned every expired hold's seats (instances started apart sweep every second). */
async function untilNoOverdueHolds(dataSource: DataSource, eventId: number, sweep: RaceSetup['sweep']): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await sweep?.();
    const overdue = await dataSource.getRepository(Hold).countBy({ eventId, status: HoldStatus.Active, expiresAt: LessThanOrEqual(new Date()) });
    if (overdue === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('Expired holds were not swept within 20 s');
}

export interface RaceState {
  category: TicketCategory;
  entries: WaitlistEntry[];
  activeHolds: Hold[];
  soldSeats: number;
  heldSeats: number;
  offeredMessages: string[];
}

export async function raceState(dataSource: DataSource, eventId: number): Promise<RaceState> {
  const category = (await dataSource.getRepository(TicketCategory).findOneBy({ eventId })) as TicketCategory;
  const entries = await dataSource.getRepository(WaitlistEntry).find({ where: { eventId }, order: { id: 'ASC' } });
  const activeHolds = await dataSource.getRepository(Hold).findBy({ eventId, status: HoldStatus.Active });
  const lines = await dataSource.getRepository(OrderLine).findBy({ eventId });
  const seatsIn = (state: LineState) => lines.filter((line) => line.state === state).reduce((sum, line) => sum + line.quantity, 0);
  const messages = await dataSource.getRepository(OutboxMessage).find({ where: { eventId, type: 'waitlist.offered' }, order: { id: 'ASC' } });
  const offeredMessages = messages.map((message) => (JSON.parse(message.data) as { reference: string }).reference);
  return { category, entries, activeHolds, soldSeats: seatsIn(LineState.Sold), heldSeats: seatsIn(LineState.Held), offeredMessages };
}

/**
 * Offers in arrival order among those that fit: an offer is made walking the line from its head
 * with the seats free only shrinking, so an entry still waiting was too large for every offer made
 * to an entry behind it.
 */
export function arrivalOrderViolations(entries: WaitlistEntry[]): string[] {
  const offered = entries.filter((entry) => entry.status !== WaitlistStatus.Waiting);
  return entries
    .filter((entry) => entry.status === WaitlistStatus.Waiting)
    .flatMap((waiting) =>
      offered.filter((later) => later.id > waiting.id && later.quantity >= waiting.quantity).map((later) => `entry ${later.id} (${later.quantity}) was offered seats before entry ${waiting.id} (${waiting.quantity})`),
    );
}
