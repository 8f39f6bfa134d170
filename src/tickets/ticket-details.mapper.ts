import { ApiProperty } from '@nestjs/swagger';
import { BookedEventSummary, mapEventSummary } from '../bookings/booking.mapper.js';
import { mapTicket, TicketResponse } from '../bookings/ticket.mapper.js';
import type { TicketDetails } from './tickets.service.js';

/** A ticket as its holder sees it: without the buyer's e-mail. */
export class TicketDetailsResponse extends TicketResponse {
  @ApiProperty({ type: BookedEventSummary })
  event!: BookedEventSummary;

  @ApiProperty({ example: 'R67AJW8XQS72' })
  booking_reference!: string;
}

export function mapTicketDetails({ ticket, event }: TicketDetails): TicketDetailsResponse {
  return {
    ...mapTicket(ticket, event),
    event: mapEventSummary(event),
    booking_reference: ticket.reference,
  };
}
