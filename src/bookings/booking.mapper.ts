import { ApiProperty } from '@nestjs/swagger';
import { centsToAmount } from '../common/money.js';
import type { BookingWithCategory } from './bookings.service.js';

export class BookingResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  event_id!: number;

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
}

export function mapBooking({ booking, categoryName }: BookingWithCategory): BookingResponse {
  return {
    id: booking.id,
    event_id: booking.eventId,
    ticket_category: categoryName,
    quantity: booking.quantity,
    unit_price: centsToAmount(booking.unitPriceCents),
    total_price: centsToAmount(booking.totalPriceCents),
    customer_name: booking.customerName,
    customer_email: booking.customerEmail,
    created_at: booking.createdAt.toISOString(),
  };
}
