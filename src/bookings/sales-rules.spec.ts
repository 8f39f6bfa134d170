import { ErrorCode } from '../common/error-code.js';
import { EventStatus, type Event } from '../events/event.entity.js';
import { CodeKind, EventCode } from '../inventory/event-code.entity.js';
import type { TicketCategory } from '../inventory/ticket-category.entity.js';
import { bookableLines, requestedLines } from './sales-rules.js';

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
    salesStart: null,
    salesEnd: null,
    hidden: false,
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
    maxTicketsPerBooking: null,
    timezone: 'UTC',
    currency: 'EUR',
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

describe('bookableLines', () => {
  const upcoming = '2027-02-01T00:00:00Z';
  const line = (categoryName: string, quantity = 1) => ({ categoryName, quantity, attendeeNames: [] });

  it('answers each line with the category its name matches, ignoring case', () => {
    expect(bookableLines(event(upcoming), [line('vIp', 2)], now)).toEqual([expect.objectContaining({ categoryId: 7, quantity: 2 })]);
  });

  it('rejects an event whose date has come with EVENT_IN_PAST', () => {
    expect(codeOf(() => bookableLines(event('2027-01-01T12:00:00Z'), [line('VIP')], now))).toBe(ErrorCode.EventInPast);
  });

  it('checks the date before the category name', () => {
    expect(codeOf(() => bookableLines(event('2026-01-01T00:00:00Z'), [line('Nope')], now))).toBe(ErrorCode.EventInPast);
  });

  it('rejects a cancelled event with EVENT_CANCELLED, before anything else', () => {
    const cancelled = { ...event('2026-01-01T00:00:00Z'), status: EventStatus.Cancelled };
    expect(codeOf(() => bookableLines(cancelled, [line('Nope')], now))).toBe(ErrorCode.EventCancelled);
  });

  it('rejects an unknown category with TICKET_CATEGORY_NOT_FOUND, naming the first unknown line', () => {
    const both = event(upcoming, [category(), category({ id: 8, name: 'Stalls', nameKey: 'stalls' })]);
    expect(() => bookableLines(both, [line('VIP'), line('Balcony'), line('Attic')], now)).toThrow('Event 1 has no ticket category named "Balcony".');
  });

  it('checks every category name before any per-booking limit', () => {
    const limited = event(upcoming, [category({ maxPerBooking: 1 })]);
    expect(codeOf(() => bookableLines(limited, [line('VIP', 5), line('Balcony')], now))).toBe(ErrorCode.TicketCategoryNotFound);
  });

  it("rejects a line over its category's max_per_booking with QUANTITY_ABOVE_LIMIT naming the limit", () => {
    const limited = event(upcoming, [category({ maxPerBooking: 4 })]);
    expect(bookableLines(limited, [line('VIP', 4)], now)).toHaveLength(1);
    expect(() => bookableLines(limited, [line('VIP', 5)], now)).toThrow('At most 4 seats of "VIP" can be taken in one booking.');
  });

  it("rejects an order over the event's max_tickets_per_booking, summed over its lines", () => {
    const capped = { ...event(upcoming, [category(), category({ id: 8, name: 'Stalls', nameKey: 'stalls' })]), maxTicketsPerBooking: 5 };
    expect(bookableLines(capped, [line('VIP', 2), line('Stalls', 3)], now)).toHaveLength(2);
    expect(() => bookableLines(capped, [line('VIP', 2), line('Stalls', 4)], now)).toThrow('At most 5 tickets can be taken in one booking, over all its lines.');
  });

  it('caps an order at 1,000 tickets where the event sets no maximum', () => {
    const roomy = event(upcoming, [category({ seatsLimit: 5000 }), category({ id: 8, name: 'Stalls', nameKey: 'stalls' })]);
    expect(codeOf(() => bookableLines(roomy, [line('VIP', 600), line('Stalls', 401)], now))).toBe(ErrorCode.QuantityAboveLimit);
  });
});

describe('requestedLines', () => {
  it('reads the one-category form as one line', () => {
    expect(requestedLines({ ticket_category: 'VIP', quantity: 2, attendee_names: ['Ada'] })).toEqual([{ categoryName: 'VIP', quantity: 2, attendeeNames: ['Ada'] }]);
  });

  it('reads items in the order sent', () => {
    expect(requestedLines({ items: [{ ticket_category: 'VIP', quantity: 1 }, { ticket_category: 'Stalls', quantity: 3, attendee_names: ['Bo'] }] })).toEqual([
      { categoryName: 'VIP', quantity: 1, attendeeNames: [] },
      { categoryName: 'Stalls', quantity: 3, attendeeNames: ['Bo'] },
    ]);
  });
});

describe('bookableLines with codes, hidden categories and sales windows', () => {
  const upcoming = '2027-02-01T00:00:00Z';
  const line = (categoryName: string, quantity = 1) => ({ categoryName, quantity, attendeeNames: [] });
  const presale = category({ id: 8, name: 'Presale', nameKey: 'presale', hidden: true });
  function code(overrides: Partial<EventCode> = {}): EventCode {
    return Object.assign(new EventCode(), {
      id: 3,
      eventId: 1,
      code: 'FRIENDS',
      kind: CodeKind.Access,
      discountPercent: null,
      discountAmountCents: null,
      maxUses: null,
      uses: 0,
      validFrom: null,
      validUntil: null,
      ticketCategoryIds: [8],
      disabledAt: null,
      createdAt: now,
      ...overrides,
    });
  }
  const withCode = (found: EventCode | undefined) => ({ input: 'friends', code: found });

  it('answers a hidden category as unknown without a code that unlocks it', () => {
    const both = event(upcoming, [category(), presale]);
    expect(codeOf(() => bookableLines(both, [line('Presale')], now))).toBe(ErrorCode.TicketCategoryNotFound);
    expect(codeOf(() => bookableLines(both, [line('Presale')], now, withCode(code({ kind: CodeKind.Discount, discountPercent: 10 }))))).toBe(ErrorCode.TicketCategoryNotFound);
    expect(codeOf(() => bookableLines(both, [line('Presale')], now, withCode(code({ ticketCategoryIds: [7] }))))).toBe(ErrorCode.TicketCategoryNotFound);
  });

  it('books a hidden category like any other with an access code that unlocks it', () => {
    const both = event(upcoming, [category(), presale]);
    expect(bookableLines(both, [line('presale', 2)], now, withCode(code()))).toEqual([expect.objectContaining({ categoryId: 8, quantity: 2 })]);
    expect(bookableLines(both, [line('presale')], now, withCode(code({ ticketCategoryIds: null })))).toHaveLength(1);
  });

  it('refuses an unknown, disabled or out-of-window code with CODE_NOT_VALID, after the event checks and before the categories', () => {
    const one = event(upcoming);
    expect(codeOf(() => bookableLines(one, [line('Nope')], now, withCode(undefined)))).toBe(ErrorCode.CodeNotValid);
    expect(codeOf(() => bookableLines(one, [line('VIP')], now, withCode(code({ disabledAt: now }))))).toBe(ErrorCode.CodeNotValid);
    expect(codeOf(() => bookableLines(one, [line('VIP')], now, withCode(code({ validUntil: now }))))).toBe(ErrorCode.CodeNotValid);
    expect(codeOf(() => bookableLines(event('2026-01-01T00:00:00Z'), [line('VIP')], now, withCode(undefined)))).toBe(ErrorCode.EventInPast);
  });

  it('refuses a code that applies to no line with CODE_NOT_APPLICABLE', () => {
    const one = event(upcoming);
    expect(codeOf(() => bookableLines(one, [line('VIP')], now, withCode(code({ kind: CodeKind.Discount, discountPercent: 10, ticketCategoryIds: [99] }))))).toBe(ErrorCode.CodeNotApplicable);
  });

  it('opens sales at sales_start and closes them at sales_end, to the millisecond', () => {
    const window = { salesStart: new Date(now.getTime() + 1), salesEnd: new Date(now.getTime() + 1000) };
    expect(codeOf(() => bookableLines(event(upcoming, [category(window)]), [line('VIP')], now))).toBe(ErrorCode.SalesNotStarted);
    expect(bookableLines(event(upcoming, [category({ salesStart: now })]), [line('VIP')], now)).toHaveLength(1);
    expect(bookableLines(event(upcoming, [category({ salesEnd: new Date(now.getTime() + 1) })]), [line('VIP')], now)).toHaveLength(1);
    expect(codeOf(() => bookableLines(event(upcoming, [category({ salesEnd: now })]), [line('VIP')], now))).toBe(ErrorCode.SalesEnded);
  });

  it("says when sales open, as the time reads in the event's zone", () => {
    const berlin = { ...event(upcoming, [category({ salesStart: new Date('2027-01-10T09:00:00Z') })]), timezone: 'Europe/Berlin' };
    expect(() => bookableLines(berlin, [line('VIP')], now)).toThrow('Sales of "VIP" start at 2027-01-10T10:00:00+01:00 (Europe/Berlin).');
  });

  it('checks sales windows after the category names and before the per-booking limits', () => {
    const closed = event(upcoming, [category({ salesEnd: now, maxPerBooking: 1 })]);
    expect(codeOf(() => bookableLines(closed, [line('VIP'), line('Nope')], now))).toBe(ErrorCode.TicketCategoryNotFound);
    expect(codeOf(() => bookableLines(closed, [line('VIP', 5)], now))).toBe(ErrorCode.SalesEnded);
  });
});
