import type { Event } from '../events/event.entity.js';
import type { Booking } from '../inventory/booking.entity.js';
import type { Hold } from '../inventory/hold.entity.js';

/** A booking with what its answer names: the event it is for and its category. */
export interface BookingDetails {
  booking: Booking;
  event: Pick<Event, 'id' | 'name' | 'venue' | 'date'>;
  categoryName: string;
}

export interface HoldDetails {
  hold: Hold;
  categoryName: string;
}

/** The name of one of the event's categories; every booking and hold belongs to one. */
export function categoryNameOf(event: Pick<Event, 'id' | 'ticketCategories'>, categoryId: number): string {
  const category = event.ticketCategories.find((candidate) => candidate.id === categoryId);
  if (!category) throw new Error(`Event ${event.id} has no ticket category ${categoryId}`);
  return category.name;
}
