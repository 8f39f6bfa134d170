import { ErrorCode } from '../common/error-code.js';
import type { Event } from '../events/event.entity.js';
import type { TicketCategory } from '../events/ticket-category.entity.js';
import { assertSeatsAvailable, bookableCategory } from './seat-rules.js';

const now = new Date('2027-01-01T12:00:00Z');

function category(overrides: Partial<TicketCategory> = {}): TicketCategory {
  return { id: 7, eventId: 1, name: 'VIP', nameKey: 'vip', priceCents: 15000, seatsLimit: 10, seatsSold: 0, ...overrides } as TicketCategory;
}

function event(date: string, categories = [category()]): Event {
  return { id: 1, name: 'Gig', venue: 'Hall', details: null, date: new Date(date), createdAt: now, ticketCategories: categories };
}

function codeOf(action: () => unknown): ErrorCode | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { code?: ErrorCode }).code;
  }
}

describe('bookableCategory', () => {
  it('returns the category matching the name regardless of case', () => {
    expect(bookableCategory(event('2027-02-01T00:00:00Z'), 'vIp', now).id).toBe(7);
  });

  it('rejects an event whose date has come with EVENT_IN_PAST', () => {
    expect(codeOf(() => bookableCategory(event('2027-01-01T12:00:00Z'), 'VIP', now))).toBe(ErrorCode.EventInPast);
  });

  it('checks the date before the category name', () => {
    expect(codeOf(() => bookableCategory(event('2026-01-01T00:00:00Z'), 'Nope', now))).toBe(ErrorCode.EventInPast);
  });

  it('rejects an unknown category with TICKET_CATEGORY_NOT_FOUND', () => {
    expect(codeOf(() => bookableCategory(event('2027-02-01T00:00:00Z'), 'Balcony', now))).toBe(ErrorCode.TicketCategoryNotFound);
  });
});

describe('assertSeatsAvailable', () => {
  it('accepts a quantity that fits exactly', () => {
    expect(codeOf(() => assertSeatsAvailable(category({ seatsSold: 7 }), 3))).toBeUndefined();
  });

  it('answers SOLD_OUT when no seat is left, whatever the quantity', () => {
    expect(codeOf(() => assertSeatsAvailable(category({ seatsSold: 10 }), 1))).toBe(ErrorCode.SoldOut);
    expect(codeOf(() => assertSeatsAvailable(category({ seatsSold: 10 }), 50))).toBe(ErrorCode.SoldOut);
  });

  it('answers INSUFFICIENT_SEATS naming how many are left', () => {
    expect(() => assertSeatsAvailable(category({ seatsSold: 9 }), 2)).toThrow('Only 1 seat left in "VIP"; 2 requested.');
  });
});
