import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventsService } from '../events/events.service.js';
import { TicketCategory } from '../events/ticket-category.entity.js';
import { MetricsService, type BookingOutcome } from '../metrics/metrics.service.js';
import { Booking } from './booking.entity.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import { assertSeatsAvailable, bookableCategory } from './seat-rules.js';

export interface BookingWithCategory {
  booking: Booking;
  categoryName: string;
}

@Injectable()
export class BookingsService {
  constructor(
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
  ) {}

  async book(eventId: number, dto: CreateBookingDto): Promise<BookingWithCategory> {
    try {
      const result = await this.bookSeats(eventId, dto);
      this.metrics.recordBooking('created');
      return result;
    } catch (error) {
      this.metrics.recordBooking(outcomeOf(error));
      throw error;
    }
  }

  /**
   * Everything that needs no lock is read and validated first; the category row is locked last
   * and held only for lock, update, insert, commit.
   */
  private async bookSeats(eventId: number, dto: CreateBookingDto): Promise<BookingWithCategory> {
    const event = await this.events.findOne(eventId);
    const category = bookableCategory(event, dto.ticket_category, new Date());

    const booking = await this.transactions.run(async (manager) => {
      const locked = await manager.findOneOrFail(TicketCategory, {
        select: { id: true, name: true, priceCents: true, seatsLimit: true, seatsSold: true },
        where: { id: category.id },
        lock: this.transactions.writeLock && { mode: this.transactions.writeLock },
      });
      assertSeatsAvailable(locked, dto.quantity);
      await manager.increment(TicketCategory, { id: locked.id }, 'seatsSold', dto.quantity);
      const created = manager.create(Booking, {
        eventId: event.id,
        ticketCategoryId: locked.id,
        quantity: dto.quantity,
        unitPriceCents: locked.priceCents,
        totalPriceCents: locked.priceCents * dto.quantity,
        customerName: dto.customer_name ?? null,
        customerEmail: dto.customer_email ?? null,
        createdAt: new Date(),
      });
      await manager.insert(Booking, created);
      return created;
    });
    return { booking, categoryName: category.name };
  }
}

/** A refused booking is counted under its error code (`sold_out`, …); anything else is `error`. */
function outcomeOf(error: unknown): BookingOutcome {
  return error instanceof DomainError ? error.code.toLowerCase() : 'error';
}
