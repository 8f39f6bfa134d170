import { centsToAmount } from '../common/money.js';
import type { BookingWithCategory } from './bookings.service.js';

export interface BookingResponse {
  id: number;
  event_id: number;
  ticket_category: string;
  quantity: number;
  unit_price: number;
  total_price: number;
  customer_name: string | null;
  customer_email: string | null;
  created_at: string;
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
