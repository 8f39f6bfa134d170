import { ErrorCode } from '../common/error-code.js';
import { EventStatus, type Event } from '../events/event.entity.js';
import type { TicketCategory } from '../inventory/ticket-category.entity.js';
import { bookableCategory } from './sales-rules.js';

const now = new Date('2027-01-01T12:00:00Z');

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

function event(date: string, categories = [category()]): Event {
  return {
    id: 1,
    name: 'Gig',
    venue: 'Hall',
    details: null,
    date: new Date(date),
    createdAt: now,
    organizerId: 1,
    status: EventStatus.Scheduled,
    cancelledAt: null,
    ticketCategories: categories,
  };
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
  const upcoming = '2027-02-01T00:00:00Z';

  it('returns the category matching the name regardless of case', () => {
    expect(bookableCategory(event(upcoming), 'vIp', 1, now).id).toBe(7);
  });

  it('rejects an event whose date has come with EVENT_IN_PAST', () => {
    expect(codeOf(() => bookableCategory(event('2027-01-01T12:00:00Z'), 'VIP', 1, now))).toBe(ErrorCode.EventInPast);
  });

  it('checks the date before the category name', () => {
    expect(codeOf(() => bookableCategory(event('2026-01-01T00:00:00Z'), 'Nope', 1, now))).toBe(ErrorCode.EventInPast);
  });

  it('rejects a cancelled event with EVENT_CANCELLED, before anything else', () => {
    const cancelled = { ...event('2026-01-01T00:00:00Z'), status: EventStatus.Cancelled };
    expect(codeOf(() => bookableCategory(cancelled, 'Nope', 1, now))).toBe(ErrorCode.EventCancelled);
  });

  it('rejects an unknown category with TICKET_CATEGORY_NOT_FOUND', () => {
    expect(codeOf(() => bookableCategory(event(upcoming), 'Balcony', 1, now))).toBe(ErrorCode.TicketCategoryNotFound);
  });

  it('rejects more than max_per_booking with QUANTITY_ABOVE_LIMIT naming the limit', () => {
    const limited = event(upcoming, [category({ maxPerBooking: 4 })]);
    expect(bookableCategory(limited, 'VIP', 4, now).id).toBe(7);
    expect(() => bookableCategory(limited, 'VIP', 5, now)).toThrow('At most 4 seats of "VIP" can be taken in one booking.');
  });
});
