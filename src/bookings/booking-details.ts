import type { Event } from '../events/event.entity.js';
import type { Booking } from '../inventory/booking.entity.js';
import type { Hold } from '../inventory/hold.entity.js';
import type { OrderLine } from '../inventory/order-line.entity.js';
import type { Ticket } from '../inventory/ticket.entity.js';

/** A booking with what its answer names: its event (categories included), its lines and its tickets. */
export interface BookingDetails {
  booking: Booking;
  event: Event;
  lines: OrderLine[];
  tickets: Ticket[];
}

export interface HoldDetails {
  hold: Hold;
  event: Event;
  lines: OrderLine[];
}

/** The name of one of the event's categories; every line and ticket belongs to one. */
export function categoryNameOf(event: Pick<Event, 'id' | 'ticketCategories'>, categoryId: number): string {
  const category = event.ticketCategories.find((candidate) => candidate.id === categoryId);
  if (!category) throw new Error(`Event ${event.id} has no ticket category ${categoryId}`);
  return category.name;
}
