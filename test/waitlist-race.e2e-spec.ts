import { HoldsService } from '../src/bookings/holds.service.js';
import { WaitlistStatus } from '../src/inventory/waitlist-entry.entity.js';
import { arrivalOrderViolations, FREED_SEATS, RACE, raceState, runWaitlistRace } from './support/waitlist-race.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
});

afterAll(async () => {
  await testApp.close();
});

describe('the waiting list under a race', () => {
  it('hands every freed seat to the earliest fitting entries, none to the public, with counts exact', async () => {
    const outcome = await runWaitlistRace({ baseUrls: [await testApp.app.getUrl()], dataSource: testApp.dataSource, sweep: () => testApp.app.get(HoldsService).sweep() });

    expect(outcome.organiserAnswers.map((answer) => answer.status)).toEqual([...Array<number>(RACE.cancelled).fill(200), ...Array<number>(RACE.released).fill(204)]);
    expect(outcome.publicAnswers.map((answer) => `${answer.status} ${String(answer.body.code)}`)).toEqual(Array(RACE.publicBookings + RACE.publicHolds).fill('409 SOLD_OUT'));
    const state = await raceState(testApp.dataSource, outcome.eventId);
    const offered = state.entries.filter((entry) => entry.status === WaitlistStatus.Offered);
    expect(offered.reduce((seats, entry) => seats + entry.quantity, 0)).toBe(FREED_SEATS);
    expect(state.entries.filter((entry) => entry.status !== WaitlistStatus.Offered && entry.status !== WaitlistStatus.Waiting)).toEqual([]);
    expect(arrivalOrderViolations(state.entries)).toEqual([]);
    expect(new Set(offered.map((entry) => entry.holdReference)).size).toBe(offered.length);
    expect([...state.offeredMessages].sort()).toEqual(offered.map((entry) => entry.reference).sort());
    const offerHolds = state.activeHolds.filter((hold) => offered.some((entry) => entry.holdReference === hold.reference));
    expect(offerHolds.map((hold) => hold.quantity).sort()).toEqual(offered.map((entry) => entry.quantity).sort());
    expect(state.category).toMatchObject({ seatsLimit: RACE.seats, seatsSold: state.soldSeats, seatsHeld: state.heldSeats });
    expect(state.category.seatsSold + state.category.seatsHeld).toBe(RACE.seats);
    expect(state.category.seatsSold).toBe((RACE.bookings - RACE.cancelled) * 2);
  }, 60_000);
});
