import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, type Repository } from 'typeorm';
import { Booking } from '../inventory/booking.entity.js';
import { Ticket } from '../inventory/ticket.entity.js';

/** A ticket with the buyer of its booking, as the attendee list shows it. */
export interface AttendeeRow {
  ticket: Ticket;
  customerName: string | null;
  customerEmail: string | null;
}

/** Reads of tickets: by code, and an event's, page by page. */
@Injectable()
export class TicketsRepository {
  constructor(
    @InjectRepository(Ticket) private readonly tickets: Repository<Ticket>,
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
  ) {}

  findByCode(code: string): Promise<Ticket | null> {
    return this.tickets.findOneBy({ code });
  }

  /** The event's tickets after `afterId`, by id, with their bookings' buyers. */
  async attendeesAfter(eventId: number, afterId: number, limit: number): Promise<AttendeeRow[]> {
    const tickets = await this.tickets.find({ where: { eventId, id: MoreThan(afterId) }, order: { id: 'ASC' }, take: limit });
    const references = [...new Set(tickets.map((ticket) => ticket.reference))];
    const buyers = references.length === 0 ? [] : await this.bookings.find({ select: { reference: true, customerName: true, customerEmail: true }, where: { reference: In(references) } });
    const buyerOf = new Map(buyers.map((booking) => [booking.reference, booking]));
    return tickets.map((ticket) => ({ ticket, customerName: buyerOf.get(ticket.reference)?.customerName ?? null, customerEmail: buyerOf.get(ticket.reference)?.customerEmail ?? null }));
  }
}
