import { EventCancelledError, EventInPastError, QuantityAboveLimitError, TicketCategoryNotFoundError } from '../common/domain-error.js';
import { EventStatus, hasTakenPlace, type Event } from '../events/event.entity.js';
import { categoryNameKey, type TicketCategory } from '../inventory/ticket-category.entity.js';

/** Seats can be booked or held only for a scheduled event that has not yet taken place. */
export function assertOnSale(event: Pick<Event, 'id' | 'date' | 'status'>, now: Date): void {
  if (event.status === EventStatus.Cancelled) throw new EventCancelledError(event.id);
  if (hasTakenPlace(event, now)) throw new EventInPastError(event.id);
}

/**
 * Checks that need no lock, in the contract's order: the event is on sale, has the category,
 * and the quantity is within the category's per-booking limit.
 */
export function bookableCategory(event: Event, categoryName: string, quantity: number, now: Date): TicketCategory {
  assertOnSale(event, now);
  const key = categoryNameKey(categoryName);
  const category = event.ticketCategories.find((candidate) => candidate.nameKey === key);
  if (!category) throw new TicketCategoryNotFoundError(event.id, categoryName);
  if (category.maxPerBooking !== null && quantity > category.maxPerBooking) {
    throw new QuantityAboveLimitError(category.name, category.maxPerBooking);
  }
  return category;
}
