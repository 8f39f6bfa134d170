import type { Event } from '../events/event.entity.js';
import { mapEvent } from '../events/event.mapper.js';
import type { Booking } from '../inventory/booking.entity.js';
import type { OrderLine } from '../inventory/order-line.entity.js';
import type { HeldOrder, OrderNews, Sale } from '../inventory/seat-ledger.js';
import type { TicketCategory } from '../inventory/ticket-category.entity.js';
import type { Ticket } from '../inventory/ticket.entity.js';
import type { Announcement, BookingAnnouncement } from '../outbox/announcements.js';
import { mapBooking } from './booking.mapper.js';
import { mapHold } from './hold.mapper.js';

/**
 * What bookings and holds announce to the organiser's webhooks, rendered as the API answers the
 * resource, from what the ledger wrote in the transaction the message goes out with.
 */

export function saleNews(event: Event): OrderNews<Sale, BookingAnnouncement> {
  return {
    written: (sale) => ({ type: 'booking.confirmed', eventId: event.id, data: mapBooking({ ...sale, event }) }),
    soldOut: (category) => soldOut(event, category),
  };
}

export function holdNews(event: Event): OrderNews<HeldOrder> {
  return {
    written: (held) => ({ type: 'hold.created', eventId: event.id, data: mapHold({ ...held, event }) }),
    soldOut: (category) => soldOut(event, category),
  };
}

export function cancelledNews(event: Event, lines: OrderLine[]): (cancelled: Booking, tickets: Ticket[]) => Announcement {
  return (booking, tickets) => ({ type: 'booking.cancelled', eventId: event.id, data: mapBooking({ booking, event, lines, tickets }) });
}

/**
 * The event as its organiser sees it, with the sold-out category's counters as the ledger locked
 * them after the order (the event itself was read before the lock), and the category's name.
 */
function soldOut(event: Event, category: TicketCategory): Announcement {
  const ticketCategories = event.ticketCategories.map((each) => (each.id === category.id ? category : each));
  return {
    type: 'category.sold_out',
    eventId: event.id,
    data: { event: mapEvent({ ...event, ticketCategories }, event.organizerId ?? undefined), ticket_category: category.name },
  };
}
