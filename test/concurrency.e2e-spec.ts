import { categoryStates, createEvent } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

function book(eventId: number, ticketCategory: string, quantity: number) {
  return testApp.http().post(`/events/${eventId}/book`).send({ ticket_category: ticketCategory, quantity });
}

describe('concurrent bookings', () => {
  it('sell exactly the seats there are: 120 buyers, 30 seats → 30 × 201, 90 × 409', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Hot', price: 25, seats_limit: 30 }] });

    const responses = await Promise.all(Array.from({ length: 120 }, () => book(event.id, 'Hot', 1)));

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(30);
    expect(statuses.filter((status) => status === 409)).toHaveLength(90);
    expect(responses.filter((response) => response.status === 409).every((response) => response.body.code === 'SOLD_OUT' || response.body.code === 'INSUFFICIENT_SEATS')).toBe(true);
    expect(await categoryStates(testApp.dataSource, event.id)).toEqual([
      { name: 'Hot', seatsLimit: 30, seatsSold: 30, bookedQuantity: 30 },
    ]);
  });

  it('keep the invariant exactly with mixed quantities over two categories', async () => {
    const event = await createEvent(testApp, {
      ticket_categories: [
        { name: 'Floor', price: 40, seats_limit: 57, seats_sold: 3 },
        { name: 'Balcony', price: 20.5, seats_limit: 41 },
      ],
    });
    const requests = Array.from({ length: 150 }, (_, i) => ({
      category: i % 2 === 0 ? 'Floor' : 'Balcony',
      quantity: (i % 4) + 1,
    }));

    const responses = await Promise.all(requests.map(({ category, quantity }) => book(event.id, category, quantity)));

    expect(responses.filter((response) => response.status >= 500)).toEqual([]);
    expect(responses.every((response) => response.status === 201 || response.status === 409)).toBe(true);
    const soldBy = (category: string) =>
      responses
        .map((response, i) => ({ response, request: requests[i] }))
        .filter(({ response, request }) => response.status === 201 && request.category === category)
        .reduce((sum, { request }) => sum + request.quantity, 0);
    const [floor, balcony] = await categoryStates(testApp.dataSource, event.id);
    expect(floor).toEqual({ name: 'Floor', seatsLimit: 57, seatsSold: 3 + soldBy('Floor'), bookedQuantity: soldBy('Floor') });
    expect(balcony).toEqual({ name: 'Balcony', seatsLimit: 41, seatsSold: soldBy('Balcony'), bookedQuantity: soldBy('Balcony') });
    expect(floor.seatsSold).toBeLessThanOrEqual(57);
    expect(balcony.seatsSold).toBeLessThanOrEqual(41);
    // Far more seats were asked for than exist, so both categories must have been filled to (near) the brim.
    expect(57 - floor.seatsSold).toBeLessThan(4);
    expect(41 - balcony.seatsSold).toBeLessThan(4);
  });
});
