import { jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { CodesService } from '../codes/codes.service.js';
import { ErrorCode } from '../common/error-code.js';
import { SoldOutError } from '../common/domain-error.js';
import type { Environment } from '../config/environment.js';
import { Event, EventStatus } from '../events/event.entity.js';
import type { EventsService } from '../events/events.service.js';
import { Booking } from '../inventory/booking.entity.js';
import type { SeatLedger, SeatOrder } from '../inventory/seat-ledger.js';
import { TicketCategory } from '../inventory/ticket-category.entity.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import type { BookingsRepository } from './bookings.repository.js';
import { BookingsService } from './bookings.service.js';

function concert(): Event {
  const general = Object.assign(new TicketCategory(), { id: 7, eventId: 1, name: 'General', nameKey: 'general', priceCents: 1999, seatsLimit: 10, seatsSold: 0, seatsHeld: 0, maxPerBooking: 4, salesClosed: false, salesStart: null, salesEnd: null, hidden: false });
  return Object.assign(new Event(), { id: 1, name: 'Concert', venue: 'Hall', details: null, date: new Date(Date.now() + 86_400_000), createdAt: new Date(), organizerId: 1, status: EventStatus.Scheduled, cancelledAt: null, maxTicketsPerBooking: null, timezone: 'UTC', currency: 'EUR', ticketCategories: [general] });
}

/** The service with its collaborators faked: what is asserted is what it asks of them. */
function setup(coalescing: 'on' | 'off') {
  const findOne = jest.fn(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return concert();
  });
  const book = jest.fn(async (order: SeatOrder) => ({ booking: Object.assign(new Booking(), { id: 1, quantity: order.lines[0].quantity }), lines: [], tickets: [] }));
  const metrics = { recordBooking: jest.fn() };
  const config = { get: () => coalescing } as unknown as ConfigService<Environment, true>;
  const service = new BookingsService(
    {} as BookingsRepository,
    { findOne } as unknown as EventsService,
    { book } as unknown as SeatLedger,
    metrics as unknown as MetricsService,
    config,
    {} as CodesService,
  );
  return { service, findOne, book, metrics };
}

describe('BookingsService.book', () => {
  it('asks the ledger for the category the name matches, ignoring case, with the buyer', async () => {
    const { service, book, metrics } = setup('off');
    const { booking, event } = await service.book(1, { ticket_category: 'GENERAL', quantity: 3, customer_name: 'Ada', attendee_names: ['Ada'] });
    expect(book).toHaveBeenCalledWith({ eventId: 1, lines: [{ categoryId: 7, quantity: 3, attendeeNames: ['Ada'] }], buyer: { name: 'Ada', email: null } }, expect.objectContaining({ written: expect.any(Function), soldOut: expect.any(Function) }));
    expect([booking.quantity, event.id]).toEqual([3, 1]);
    expect(metrics.recordBooking).toHaveBeenCalledWith('created');
  });

  it('refuses what it can check without a lock before asking the ledger', async () => {
    const { service, book, metrics } = setup('off');
    await expect(service.book(1, { ticket_category: 'Balcony', quantity: 1 })).rejects.toMatchObject({ code: ErrorCode.TicketCategoryNotFound });
    await expect(service.book(1, { ticket_category: 'General', quantity: 5 })).rejects.toMatchObject({ code: ErrorCode.QuantityAboveLimit });
    expect(book).not.toHaveBeenCalled();
    expect(metrics.recordBooking).toHaveBeenCalledWith('quantity_above_limit');
  });

  it("counts the ledger's refusal under its code", async () => {
    const { service, book, metrics } = setup('off');
    book.mockRejectedValueOnce(new SoldOutError('General'));
    await expect(service.book(1, { ticket_category: 'General', quantity: 1 })).rejects.toMatchObject({ code: ErrorCode.SoldOut });
    expect(metrics.recordBooking).toHaveBeenCalledWith('sold_out');
  });

  it('with coalescing on, validates buyers of one event who arrive together against one shared read', async () => {
    const { service, findOne, book } = setup('on');
    await Promise.all(Array.from({ length: 20 }, () => service.book(1, { ticket_category: 'General', quantity: 1 })));
    // The first buyer's read, then one read for the 19 who arrived while it ran.
    expect(findOne).toHaveBeenCalledTimes(2);
    expect(book).toHaveBeenCalledTimes(20);
  });

  it('with coalescing off, reads the event for each buyer', async () => {
    const { service, findOne } = setup('off');
    await Promise.all(Array.from({ length: 3 }, () => service.book(1, { ticket_category: 'General', quantity: 1 })));
    expect(findOne).toHaveBeenCalledTimes(3);
  });
});
