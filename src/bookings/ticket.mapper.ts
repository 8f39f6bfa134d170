import { ApiProperty } from '@nestjs/swagger';
import type { Event } from '../events/event.entity.js';
import { TicketStatus, type Ticket } from '../inventory/ticket.entity.js';
import { categoryNameOf } from './booking-details.js';

export class TicketResponse {
  @ApiProperty({ example: 'q3JwYkZ0dVh5c0hKQm9wUQ', description: '22 URL-safe characters, 128 random bits: all it takes to get in. Also encoded in the QR code.' })
  code!: string;

  @ApiProperty({ example: 'VIP' })
  ticket_category!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'Ada Lovelace' })
  attendee_name!: string | null;

  @ApiProperty({ enum: TicketStatus, example: TicketStatus.Valid })
  status!: TicketStatus;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'When it was checked in at the door, if it was.' })
  checked_in_at!: string | null;
}

export function mapTicket(ticket: Ticket, event: Pick<Event, 'id' | 'ticketCategories'>): TicketResponse {
  return {
    code: ticket.code,
    ticket_category: categoryNameOf(event, ticket.ticketCategoryId),
    attendee_name: ticket.attendeeName,
    status: ticket.status,
    checked_in_at: ticket.checkedInAt?.toISOString() ?? null,
  };
}
