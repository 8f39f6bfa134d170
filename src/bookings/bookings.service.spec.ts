import { jest } from '@jest/globals';
import type { EntityManager, Repository } from 'typeorm';
import { ErrorCode } from '../common/error-code.js';
import type { TransactionRunner } from '../database/transaction-runner.js';
import type { Event } from '../events/event.entity.js';
import type { EventsService } from '../events/events.service.js';
import { TicketCategory } from '../events/ticket-category.entity.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import { Booking, BookingStatus } from './booking.entity.js';
import { BookingsService } from './bookings.service.js';

const future = new Date(Date.now() + 86_400_000);

function setup(counts: { seatsSold: number; seatsHeld?: number }) {
  const category = {
    id: 3,
    eventId: 1,
    name: 'General',
    nameKey: 'general',
    priceCents: 1999,
    seatsLimit: 10,
    seatsHeld: 0,
    maxPerBooking: null,
    ...counts,
  } as TicketCategory;
  const event = { id: 1, date: future, ticketCategories: [category] } as Event;
  const updates: unknown[] = [];
  const updateBuilder = {
    update: () => updateBuilder,
    set: (values: unknown) => {
      updates.push(values);
      return updateBuilder;
    },
    where: () => updateBuilder,
    execute: jest.fn(async () => undefined),
  };
  const manager = {
    findOneOrFail: jest.fn(async () => ({ ...category })),
    createQueryBuilder: jest.fn(() => updateBuilder),
    create: jest.fn((_entity: unknown, values: object) => ({ ...values })),
    insert: jest.fn(async (_entity: unknown, values: { id?: number }) => {
      values.id = 42;
    }),
  };
  const events = { findOne: jest.fn(async () => event) } as unknown as EventsService;
  const transactions = {
    writeLock: 'pessimistic_write',
    run: jest.fn((work: (manager: EntityManager) => Promise<unknown>) => work(manager as unknown as EntityManager)),
  } as unknown as TransactionRunner;
  const metrics = { recordBooking: jest.fn() };
  const service = new BookingsService({} as Repository<Booking>, events, transactions, metrics as unknown as MetricsService);
  return { service, manager, updates, metrics };
}

describe('BookingsService.book', () => {
  it('locks the category, counts the seats as sold and inserts a confirmed booking priced from the locked row', async () => {
    const { service, manager, updates, metrics } = setup({ seatsSold: 4 });

    const booking = await service.book(1, { ticket_category: 'GENERAL', quantity: 3 });

    expect(manager.findOneOrFail).toHaveBeenCalledWith(
      TicketCategory,
      expect.objectContaining({ where: { id: 3 }, lock: { mode: 'pessimistic_write' } }),
    );
    expect(updates).toHaveLength(1);
    expect(manager.insert).toHaveBeenCalledWith(
      Booking,
      expect.objectContaining({ quantity: 3, unitPriceCents: 1999, totalPriceCents: 5997, status: BookingStatus.Confirmed }),
    );
    expect(booking.id).toBe(42);
    expect(booking.reference).toMatch(/^[0-9A-Z]{12}$/);
    expect(booking.ticketCategory.name).toBe('General');
    expect(metrics.recordBooking).toHaveBeenCalledWith('created');
  });

  it('writes nothing when the locked row has too few seats left', async () => {
    const { service, manager, updates, metrics } = setup({ seatsSold: 9 });

    await expect(service.book(1, { ticket_category: 'General', quantity: 2 })).rejects.toMatchObject({ code: ErrorCode.InsufficientSeats });
    expect(updates).toEqual([]);
    expect(manager.insert).not.toHaveBeenCalled();
    expect(metrics.recordBooking).toHaveBeenCalledWith('insufficient_seats');
  });

  it('does not open a transaction for a category the event does not have', async () => {
    const { service, manager } = setup({ seatsSold: 0 });

    await expect(service.book(1, { ticket_category: 'Balcony', quantity: 1 })).rejects.toMatchObject({ code: ErrorCode.TicketCategoryNotFound });
    expect(manager.findOneOrFail).not.toHaveBeenCalled();
  });
});
