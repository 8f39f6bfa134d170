import { centsToAmount } from '../common/money.js';
import type { Booking, BookingStatus } from './booking.entity.js';

export interface BookingResponse {
  id: number;
  reference: string;
  status: BookingStatus;
  event_id: number;
  event: { id: number; name: string; venue: string; date: string };
  ticket_category: string;
  quantity: number;
  unit_price: number;
  total_price: number;
  customer_name: string | null;
  customer_email: string | null;
  created_at: string;
  cancelled_at: string | null;
}

/** Expects the booking's event and ticket category to be loaded. */
export function mapBooking(booking: Booking): BookingResponse {
  return {
    id: booking.id,
    reference: booking.reference,
    status: booking.status,
    event_id: booking.eventId,
    event: {
      id: booking.event.id,
      name: booking.event.name,
      venue: booking.event.venue,
      date: booking.event.date.toISOString(),
    },
    ticket_category: booking.ticketCategory.name,
    quantity: booking.quantity,
    unit_price: centsToAmount(booking.unitPriceCents),
    total_price: centsToAmount(booking.totalPriceCents),
    customer_name: booking.customerName,
    customer_email: booking.customerEmail,
    created_at: booking.createdAt.toISOString(),
    cancelled_at: booking.cancelledAt?.toISOString() ?? null,
  };
}
