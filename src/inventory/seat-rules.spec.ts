import { ErrorCode } from '../common/error-code.js';
import type { TicketCategory } from './ticket-category.entity.js';
import { allocateInArrivalOrder, assertSeatsAvailable } from './seat-rules.js';

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

function codeOf(action: () => unknown): ErrorCode | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { code?: ErrorCode }).code;
  }
}

describe('assertSeatsAvailable', () => {
  it('accepts a quantity that fits exactly', () => {
    expect(codeOf(() => assertSeatsAvailable(category({ seatsSold: 7 }), 3))).toBeUndefined();
  });

  it('answers SOLD_OUT when no seat is left, whatever the quantity', () => {
    expect(codeOf(() => assertSeatsAvailable(category({ seatsSold: 10 }), 1))).toBe(ErrorCode.SoldOut);
    expect(codeOf(() => assertSeatsAvailable(category({ seatsSold: 10 }), 50))).toBe(ErrorCode.SoldOut);
  });

  it('counts held seats as taken', () => {
    expect(codeOf(() => assertSeatsAvailable(category({ seatsSold: 6, seatsHeld: 4 }), 1))).toBe(ErrorCode.SoldOut);
    expect(() => assertSeatsAvailable(category({ seatsSold: 6, seatsHeld: 2 }), 3)).toThrow('Only 2 seats left in "VIP"; 3 requested.');
  });

  it('answers INSUFFICIENT_SEATS naming how many are left', () => {
    expect(() => assertSeatsAvailable(category({ seatsSold: 9 }), 2)).toThrow('Only 1 seat left in "VIP"; 2 requested.');
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
