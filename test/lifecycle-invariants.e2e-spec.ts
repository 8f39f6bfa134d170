import { createEvent, lifecycleCounters, type HoldCounters } from './support/fixtures.js';
import { seededRandom } from './support/mixed-load.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  // A generous lock wait: on a loaded machine the burst must slow down, not turn into 503s.
  testApp = await createTestApp({ HOLD_TTL_SECONDS: '1', HOLD_SWEEP_INTERVAL_SECONDS: '1', LOCK_WAIT_TIMEOUT_SECONDS: '30' });
});

afterAll(async () => {
  await testApp.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectInvariants(counters: HoldCounters, initialSold: number): void {
  expect(counters.seatsSold).toBe(initialSold + counters.confirmedBookedQuantity);
  expect(counters.seatsHeld).toBe(counters.activeHeldQuantity);
  expect(counters.seatsSold + counters.seatsHeld).toBeLessThanOrEqual(counters.seatsLimit);
}

describe('seat invariants under the whole lifecycle', () => {
  it('an expired hold frees its seats with nobody calling anything', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Solo', price: 5, seats_limit: 2 }] });
    const held = await testApp.http().post(`/events/${event.id}/holds`).send({ ticket_category: 'Solo', quantity: 2 });
    expect(held.status).toBe(201);
    expect((await lifecycleCounters(testApp.dataSource, event.id, 'Solo')).seatsHeld).toBe(2);

    await sleep(2_600);

    expect(await lifecycleCounters(testApp.dataSource, event.id, 'Solo')).toMatchObject({ seatsHeld: 0, activeHeldQuantity: 0 });
    const [{ status }] = await testApp.dataSource.query('SELECT status FROM holds WHERE reference = ?', [held.body.reference]);
    expect(status).toBe('expired');
    const confirm = await testApp.http().post(`/holds/${held.body.reference}/confirm`);
    expect(confirm.status).toBe(410);
    expect(confirm.body.code).toBe('HOLD_EXPIRED');
  });

  it('hold exactly after a few hundred concurrent books, holds, confirms, releases, cancels and expiries', async () => {
    const event = await createEvent(testApp, {
      ticket_categories: [
        { name: 'Front', price: 45.5, seats_limit: 150, seats_sold: 5 },
        { name: 'Back', price: 20, seats_limit: 100 },
      ],
    });
    const random = seededRandom(20261129);
    const statuses: number[] = [];
    const http = () => testApp.http();
    const record = <T extends { status: number }>(response: T): T => {
      statuses.push(response.status);
      return response;
    };

    const scenarios = Array.from({ length: 300 }, () => {
      const category = random() < 0.6 ? 'Front' : 'Back';
      const quantity = 1 + Math.floor(random() * 3);
      const pause = Math.floor(random() * 1_500);
      const kind = random();
      return async () => {
        if (kind < 0.3) {
          record(await http().post(`/events/${event.id}/book`).send({ ticket_category: category, quantity }));
          return;
        }
        if (kind < 0.45) {
          const booked = record(await http().post(`/events/${event.id}/book`).send({ ticket_category: category, quantity }));
          await sleep(pause);
          if (booked.status === 201) record(await http().post(`/bookings/${booked.body.reference}/cancel`));
          return;
        }
        const held = record(await http().post(`/events/${event.id}/holds`).send({ ticket_category: category, quantity }));
        if (held.status !== 201) return;
        await sleep(pause);
        if (kind < 0.7) record(await http().post(`/holds/${held.body.reference}/confirm`));
        else if (kind < 0.85) record(await http().delete(`/holds/${held.body.reference}`));
      };
    });

    await Promise.all(scenarios.map((scenario) => scenario()));

    expect(statuses.length).toBeGreaterThan(350);
    expect(statuses.filter((status) => ![200, 201, 204, 409, 410].includes(status))).toEqual([]);
    // Plenty sold for the invariants to mean something; how many exactly depends on the interleaving.
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThan(100);
    expect(statuses.filter((status) => status === 409).length).toBeGreaterThan(0);
    expectInvariants(await lifecycleCounters(testApp.dataSource, event.id, 'Front'), 5);
    expectInvariants(await lifecycleCounters(testApp.dataSource, event.id, 'Back'), 0);

    await sleep(2_600);

    for (const [name, initialSold] of [['Front', 5], ['Back', 0]] as const) {
      const counters = await lifecycleCounters(testApp.dataSource, event.id, name);
      expectInvariants(counters, initialSold);
      expect(counters.seatsHeld).toBe(0);
    }
  }, 120_000);
});
