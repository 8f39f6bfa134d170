import { ApiProperty } from '@nestjs/swagger';
import { localIsoDate } from '../common/time-zone.js';
import type { Event } from '../events/event.entity.js';
import { BookingStatus } from '../inventory/booking.entity.js';
import type { BookingDetails } from './booking-details.js';
import { mapOrder, ORDER_FIELDS, OrderItemResponse } from './order-item.mapper.js';
import { mapTicket, TicketResponse } from './ticket.mapper.js';

export class BookedEventSummary {
  @ApiProperty({ type: 'integer', example: 1 })
  id!: number;

  @ApiProperty({ example: 'Music Concert' })
  name!: string;

  @ApiProperty({ example: 'Stadium A' })
  venue!: string;

  @ApiProperty({ format: 'date-time', example: '2027-06-15T18:00:00.000Z' })
  date!: string;

  @ApiProperty({ example: '2027-06-15T20:00:00+02:00', description: "The date as it reads in the event's time zone." })
  local_date!: string;
}

/** A booking as lists show it: everything but its tickets. */
export class BookingSummaryResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id!: number;

  @ApiProperty({ example: 'R67AJW8XQS72', description: '12 characters of Crockford base32; the only way to address a booking.' })
  reference!: string;

  @ApiProperty({ enum: BookingStatus, example: BookingStatus.Confirmed })
  status!: BookingStatus;

  @ApiProperty({ type: 'integer', example: 1 })
  event_id!: number;

  @ApiProperty({ type: BookedEventSummary })
  event!: BookedEventSummary;

  @ApiProperty(ORDER_FIELDS.ticket_category)
  ticket_category!: string | null;

  @ApiProperty(ORDER_FIELDS.quantity)
  quantity!: number;

  @ApiProperty(ORDER_FIELDS.unit_price)
  unit_price!: number | null;

  @ApiProperty(ORDER_FIELDS.total_price)
  total_price!: number;

  @ApiProperty(ORDER_FIELDS.currency)
  currency!: string;

  @ApiProperty(ORDER_FIELDS.code)
  code!: string | null;

  @ApiProperty(ORDER_FIELDS.discount_total)
  discount_total!: number;

  @ApiProperty(ORDER_FIELDS.items)
  items!: OrderItemResponse[];

  @ApiProperty({ type: 'string', nullable: true, example: 'Ada Lovelace' })
  customer_name!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'ada@example.com' })
  customer_email!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T18:16:48.960Z' })
  created_at!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  cancelled_at!: string | null;
}

/** A booking as its own answers show it: with a ticket for every seat. */
export class BookingResponse extends BookingSummaryResponse {
  @ApiProperty({ type: [TicketResponse], description: 'One per seat; cancelled with the booking.' })
  tickets!: TicketResponse[];
}

export function mapBookingSummary({ booking, event, lines }: Omit<BookingDetails, 'tickets'>): BookingSummaryResponse {
  return {
    id: booking.id,
    reference: booking.reference,
    status: booking.status,
    event_id: booking.eventId,
    event: mapEventSummary(event),
    ...mapOrder(booking, lines, event),
    customer_name: booking.customerName,
    customer_email: booking.customerEmail,
    created_at: booking.createdAt.toISOString(),
    cancelled_at: booking.cancelledAt?.toISOString() ?? null,
  };
}

export function mapEventSummary(event: Pick<Event, 'id' | 'name' | 'venue' | 'date' | 'timezone'>): BookedEventSummary {
  return { id: event.id, name: event.name, venue: event.venue, date: event.date.toISOString(), local_date: localIsoDate(event.date, event.timezone) };
}

export function mapBooking(details: BookingDetails): BookingResponse {
  return { ...mapBookingSummary(details), tickets: details.tickets.map((ticket) => mapTicket(ticket, details.event)) };
}
