import { ErrorCode } from '../common/error-code.js';
import type { TicketCategory } from './ticket-category.entity.js';
import { allocateInArrivalOrder, orderShortage, servedInArrivalOrder } from './seat-rules.js';

function category(overrides: Partial<TicketCategory> = {}): TicketCategory {
  return {
    id: 7,
    eventId: 1,
    name: 'VIP',
    nameKey: 'vip',
    priceCents: 15000,
    seatsLimit: 10,
    seatsSold: 0,
    seatsHeld: 0,
    maxPerBooking: null,
    ...overrides,
  } as TicketCategory;
}

describe('orderShortage', () => {
  const line = (overrides: Partial<TicketCategory>, quantity: number) => ({ category: category(overrides), quantity });

  it('accepts lines that fit exactly', () => {
    expect(orderShortage([line({ seatsSold: 7 }, 3), line({ name: 'Balcony' }, 10)])).toBeUndefined();
  });

  it('answers SOLD_OUT when no seat is left, whatever the quantity', () => {
    expect(orderShortage([line({ seatsSold: 10 }, 1)])?.code).toBe(ErrorCode.SoldOut);
    expect(orderShortage([line({ seatsSold: 10 }, 50)])?.code).toBe(ErrorCode.SoldOut);
  });

  it('counts held seats as taken', () => {
    expect(orderShortage([line({ seatsSold: 6, seatsHeld: 4 }, 1)])?.code).toBe(ErrorCode.SoldOut);
    expect(orderShortage([line({ seatsSold: 6, seatsHeld: 2 }, 3)])?.message).toBe('Only 2 seats left in "VIP"; 3 requested.');
  });

  it('answers INSUFFICIENT_SEATS naming how many are left', () => {
    expect(orderShortage([line({ seatsSold: 9 }, 2)])?.message).toBe('Only 1 seat left in "VIP"; 2 requested.');
  });

  it('checks every line for SOLD_OUT before any for INSUFFICIENT_SEATS, naming the line that fails', () => {
    const shortage = orderShortage([line({ name: 'Stalls', seatsSold: 9 }, 2), line({ name: 'Box', seatsSold: 10 }, 1)]);
    expect(shortage).toMatchObject({ code: ErrorCode.SoldOut, message: 'Ticket category "Box" is sold out.' });
  });

  it('within one check, answers for the first failing line in the order sent', () => {
    const shortage = orderShortage([line({ name: 'Stalls' }, 1), line({ name: 'Circle', seatsSold: 8 }, 3), line({ name: 'Box', seatsSold: 9 }, 2)]);
    expect(shortage?.message).toBe('Only 2 seats left in "Circle"; 3 requested.');
  });
});

describe('allocateInArrivalOrder', () => {
  it('serves requests in arrival order, refusing one that does not fit while later smaller ones still fit', () => {
    const refusals = allocateInArrivalOrder(category({ seatsSold: 3, seatsHeld: 1 }), [4, 3, 2, 1]);

    expect(refusals.map((refusal) => refusal?.code)).toEqual([undefined, ErrorCode.InsufficientSeats, undefined, ErrorCode.SoldOut]);
    expect(refusals[1]?.message).toBe('Only 2 seats left in "VIP"; 3 requested.');
  });

  it('leaves the locked row untouched: counters change only with the UPDATE', () => {
    const locked = category({ seatsSold: 5 });
    allocateInArrivalOrder(locked, [2, 2]);
    expect(locked.seatsSold).toBe(5);
  });
});

describe('servedInArrivalOrder', () => {
  it('offers free seats to the waiting entries in arrival order while they fit', () => {
    expect(servedInArrivalOrder(5, [2, 3, 1])).toEqual([0, 1]);
  });

  it('lets an entry too large for now keep its place while a later, smaller one is served', () => {
    expect(servedInArrivalOrder(3, [4, 2, 2, 1])).toEqual([1, 3]);
  });

  it('serves nobody when no seat is free, and everybody who fits when plenty are', () => {
    expect(servedInArrivalOrder(0, [1, 1])).toEqual([]);
    expect(servedInArrivalOrder(100, [3, 1, 2])).toEqual([0, 1, 2]);
  });

  it('serves an entry that fits exactly what is left, and none after it', () => {
    expect(servedInArrivalOrder(4, [1, 3, 1])).toEqual([0, 1]);
  });
});
