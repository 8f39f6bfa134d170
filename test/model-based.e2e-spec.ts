import fc from 'fast-check';
import { createEvent, expireHoldNow, lifecycleCounters } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Model-based: random sequences of create / book / hold / confirm / release / cancel /
 * time-passes run against the real service and against a few lines of in-memory rules. After
 * every step the service's answer (status and code) and its seat counts match the model's, and
 * the database's counters match its rows.
 */
// Fewer on MySQL, where each step costs several round trips and the spec shares two cores with another.
const RUNS = Number(process.env.FC_RUNS ?? (process.env.TEST_DATABASE === 'mysql' ? 8 : 30));
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

// ---- the model -----------------------------------------------------------------------------

interface Category {
  name: string;
  limit: number;
  sold: number;
  maxPerBooking: number | null;
}
interface ModelEvent {
  id: number;
  categories: Category[];
}
interface ModelHold {
  reference: string;
  event: ModelEvent;
  category: Category;
  quantity: number;
  state: 'active' | 'expired' | 'confirmed' | 'released';
}
interface ModelBooking {
  reference: string;
  category: Category;
  quantity: number;
  status: 'confirmed' | 'cancelled';
}
interface Model {
  events: ModelEvent[];
  holds: ModelHold[];
  bookings: ModelBooking[];
}
/** What the service must answer: a status, and the code when it refuses. */
type Expected = { status: number; code?: string };

const held = (model: Model, category: Category) =>
  model.holds.filter((hold) => hold.category === category && hold.state === 'active').reduce((sum, hold) => sum + hold.quantity, 0);

/** The contract's checks in order: category, per-booking limit, sold out, seats left. */
function seatsRule(model: Model, event: ModelEvent, name: string, quantity: number): Expected & { category?: Category } {
  const category = event.categories.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (!category) return { status: 422, code: 'TICKET_CATEGORY_NOT_FOUND' };
  if (category.maxPerBooking !== null && quantity > category.maxPerBooking) return { status: 422, code: 'QUANTITY_ABOVE_LIMIT' };
  const available = category.limit - category.sold - held(model, category);
  if (available <= 0) return { status: 409, code: 'SOLD_OUT' };
  if (available < quantity) return { status: 409, code: 'INSUFFICIENT_SEATS' };
  return { status: 201, category };
}

// ---- the actions ---------------------------------------------------------------------------

type Action =
  | { kind: 'create'; limits: number[]; maxPerBooking: number | null }
  | { kind: 'book' | 'hold'; pick: number; name: string; quantity: number }
  | { kind: 'confirm' | 'release' | 'expire'; pick: number }
  | { kind: 'cancel'; pick: number };

const pick = fc.nat(50);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('create' as const), limits: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 2 }), maxPerBooking: fc.option(fc.integer({ min: 1, max: 3 })) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('book' as const, 'hold' as const), pick, name: fc.constantFrom('A', 'a', 'B', 'Z'), quantity: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('confirm' as const, 'release' as const, 'expire' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick }) },
);

const at = <T>(items: T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length]);

/** Runs one action on the service and the model; returns the event whose counts to compare. */
async function step(model: Model, act: Action): Promise<ModelEvent | undefined> {
  const http = () => testApp.http();
  const expectAnswer = (response: { status: number; body: { code?: string } }, expected: Expected, what: string) => {
    const got = { status: response.status, code: response.status >= 400 ? response.body.code : undefined };
    expect({ what, ...got }).toEqual({ what, status: expected.status, code: expected.code });
  };

  if (act.kind === 'create') {
    const categories = act.limits.map((limit, index) => ({ name: 'AB'[index], price: 10, seats_limit: limit, max_per_booking: act.maxPerBooking }));
    const created = await createEvent(testApp, { ticket_categories: categories });
    const event = { id: created.id, categories: categories.map((c) => ({ name: c.name, limit: c.seats_limit, sold: 0, maxPerBooking: c.max_per_booking })) };
    model.events.push(event);
    return event;
  }
  if (act.kind === 'book' || act.kind === 'hold') {
    const event = at(model.events, act.pick);
    if (!event) return undefined;
    const expected = seatsRule(model, event, act.name, act.quantity);
    const response = await http().post(`/events/${event.id}/${act.kind === 'book' ? 'book' : 'holds'}`).send({ ticket_category: act.name, quantity: act.quantity });
    expectAnswer(response, expected, `${act.kind} ${act.quantity} of ${act.name}`);
    if (expected.category && act.kind === 'book') {
      expected.category.sold += act.quantity;
      model.bookings.push({ reference: response.body.reference, category: expected.category, quantity: act.quantity, status: 'confirmed' });
    } else if (expected.category) {
      model.holds.push({ reference: response.body.reference, event, category: expected.category, quantity: act.quantity, state: 'active' });
    }
    return event;
  }
  if (act.kind === 'cancel') {
    const booking = at(model.bookings, act.pick);
    if (!booking) return undefined;
    const response = await http().post(`/bookings/${booking.reference}/cancel`);
    expectAnswer(response, { status: 200 }, 'cancel');
    expect(response.body.status).toBe('cancelled');
    if (booking.status === 'confirmed') booking.category.sold -= booking.quantity;
    booking.status = 'cancelled';
    return model.events.find((event) => event.categories.includes(booking.category));
  }
  const hold = at(model.holds, act.pick);
  if (!hold) return undefined;
  if (act.kind === 'expire') {
    if (hold.state !== 'active') return undefined;
    await expireHoldNow(testApp.dataSource, hold.reference);
    hold.state = 'expired';
    return hold.event;
  }
  if (act.kind === 'confirm') {
    const expected: Expected = {
      active: { status: 201 },
      confirmed: { status: 200 },
      expired: { status: 410, code: 'HOLD_EXPIRED' },
      released: { status: 404, code: 'HOLD_NOT_FOUND' },
    }[hold.state];
    const response = await http().post(`/holds/${hold.reference}/confirm`);
    expectAnswer(response, expected, `confirm a hold that is ${hold.state}`);
    if (hold.state === 'active') {
      hold.category.sold += hold.quantity;
      hold.state = 'confirmed';
      model.bookings.push({ reference: hold.reference, category: hold.category, quantity: hold.quantity, status: 'confirmed' });
    }
    return hold.event;
  }
  const expected: Expected = {
    active: { status: 204 },
    expired: { status: 204 },
    confirmed: { status: 409, code: 'HOLD_ALREADY_CONFIRMED' },
    released: { status: 404, code: 'HOLD_NOT_FOUND' },
  }[hold.state];
  const response = await http().delete(`/holds/${hold.reference}`);
  expectAnswer(response, expected, `release a hold that is ${hold.state}`);
  if (hold.state === 'active' || hold.state === 'expired') hold.state = 'released';
  return hold.event;
}

/** The service's view of the event and the database's counters, against the model. */
async function matchesModel(model: Model, event: ModelEvent): Promise<void> {
  const response = await testApp.http().get(`/events/${event.id}`);
  expect(response.status).toBe(200);
  const seen = (response.body.ticket_categories as { name: string; seats_sold: number; seats_held: number; seats_available: number }[]).map((c) => ({
    name: c.name,
    sold: c.seats_sold,
    held: c.seats_held,
    available: c.seats_available,
  }));
  const expected = event.categories.map((c) => ({ name: c.name, sold: c.sold, held: held(model, c), available: c.limit - c.sold - held(model, c) }));
  expect(seen).toEqual(expected);
  for (const category of event.categories) {
    const counters = await lifecycleCounters(testApp.dataSource, event.id, category.name);
    expect(counters.seatsSold).toBe(counters.confirmedBookedQuantity);
    expect(counters.seatsHeld).toBe(counters.activeHeldQuantity);
    expect(counters.seatsSold + counters.seatsHeld).toBeLessThanOrEqual(counters.seatsLimit);
  }
}

describe('the service against a model of the booking rules', () => {
  it('answers and counts as the model does after every step of random lifecycles', async () => {
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 40 }), async (actions) => {
        const model: Model = { events: [], holds: [], bookings: [] };
        for (const act of [{ kind: 'create', limits: [4, 2], maxPerBooking: null } as Action, ...actions]) {
          const touched = await step(model, act);
          steps++;
          if (touched) await matchesModel(model, touched);
        }
      }),
      { numRuns: RUNS },
    );
    console.log(JSON.stringify({ scenario: 'model-based', runs: RUNS, steps }));
  }, 120_000);
});
