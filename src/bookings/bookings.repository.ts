import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, type Repository } from 'typeorm';
import { Booking, type BookingStatus } from '../inventory/booking.entity.js';
import { OrderLine } from '../inventory/order-line.entity.js';
import { Ticket } from '../inventory/ticket.entity.js';

/** Reads of bookings, their lines and their tickets; the seat ledger is what writes them. */
@Injectable()
export class BookingsRepository {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    @InjectRepository(OrderLine) private readonly lines: Repository<OrderLine>,
    @InjectRepository(Ticket) private readonly tickets: Repository<Ticket>,
  ) {}

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

  /** The lines of the orders with these references (a booking's or a hold's), each order's in the order sent. */
  async linesOf(references: string[]): Promise<Map<string, OrderLine[]>> {
    const byReference = new Map(references.map((reference): [string, OrderLine[]] => [reference, []]));
    if (references.length === 0) return byReference;
    const lines = await this.lines.find({ where: { reference: In(references) }, order: { position: 'ASC' } });
    for (const line of lines) byReference.get(line.reference)?.push(line);
    return byReference;
  }

  ticketsOf(reference: string): Promise<Ticket[]> {
    return this.tickets.find({ where: { reference }, order: { id: 'ASC' } });
  }
}
