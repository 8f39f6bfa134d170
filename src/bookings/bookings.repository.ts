import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type Repository } from 'typeorm';
import { Booking, type BookingStatus } from '../inventory/booking.entity.js';

/** Reads of bookings; the seat ledger is what writes them. */
@Injectable()
export class BookingsRepository {
  constructor(@InjectRepository(Booking) private readonly bookings: Repository<Booking>) {}

  findByReference(reference: string): Promise<Booking | null> {
    return this.bookings.findOneBy({ reference });
  }

  findById(id: number): Promise<Booking> {
    return this.bookings.findOneByOrFail({ id });
  }

  /** The event's bookings after `afterId`, oldest first: one more than `limit`, to tell whether a next page exists. */
  findForEvent(eventId: number, afterId: number, limit: number, status: BookingStatus | undefined): Promise<Booking[]> {
    return this.bookings.find({
      where: { eventId, id: MoreThan(afterId), ...(status && { status }) },
      order: { id: 'ASC' },
      take: limit + 1,
    });
  }
}
