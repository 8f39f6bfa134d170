import { ApiProperty } from '@nestjs/swagger';
import { centsToAmount } from '../common/money.js';
import { BookingStatus } from '../inventory/booking.entity.js';
import type { BookingDetails } from './booking-details.js';

export class BookedEventSummary {
  @ApiProperty({ type: 'integer', example: 1 })
  id!: number;

  @ApiProperty({ example: 'Music Concert' })
  name!: string;

  @ApiProperty({ example: 'Stadium A' })
  venue!: string;

  @ApiProperty({ format: 'date-time', example: '2027-06-15T18:00:00.000Z' })
  date!: string;
}

export class BookingResponse {
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

  @ApiProperty({ example: 'VIP' })
  ticket_category!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  quantity!: number;

  @ApiProperty({ example: 150 })
  unit_price!: number;

  @ApiProperty({ example: 300 })
  total_price!: number;

  @ApiProperty({ type: 'string', nullable: true, example: 'Ada Lovelace' })
  customer_name!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'ada@example.com' })
  customer_email!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T18:16:48.960Z' })
  created_at!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  cancelled_at!: string | null;
}

export function mapBooking({ booking, event, categoryName }: BookingDetails): BookingResponse {
  return {
    id: booking.id,
    reference: booking.reference,
    status: booking.status,
    event_id: booking.eventId,
    event: {
      id: event.id,
      name: event.name,
      venue: event.venue,
      date: event.date.toISOString(),
    },
    ticket_category: categoryName,
    quantity: booking.quantity,
    unit_price: centsToAmount(booking.unitPriceCents),
    total_price: centsToAmount(booking.totalPriceCents),
    customer_name: booking.customerName,
    customer_email: booking.customerEmail,
    created_at: booking.createdAt.toISOString(),
    cancelled_at: booking.cancelledAt?.toISOString() ?? null,
  };
}
