import {
  EventCancelledError,
  EventInPastError,
  InsufficientSeatsError,
  QuantityAboveLimitError,
  SoldOutError,
  TicketCategoryNotFoundError,
} from '../common/domain-error.js';
import { EventStatus, type Event } from '../events/event.entity.js';
import { categoryNameKey, seatsLeft, type SeatCounts, type TicketCategory } from '../events/ticket-category.entity.js';

export function hasTakenPlace(event: Pick<Event, 'date'>, now: Date): boolean {
  return event.date.getTime() <= now.getTime();
}

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

/** Checked on the locked row: sold out first, then whether enough seats remain. */
export function assertSeatsAvailable(category: SeatCounts, quantity: number): void {
  const shortage = seatShortage(category, quantity);
  if (shortage) throw shortage;
}

/** Why `quantity` seats do not fit on the locked row, or undefined when they do. */
export function seatShortage(category: SeatCounts, quantity: number): SoldOutError | InsufficientSeatsError | undefined {
  const available = seatsLeft(category);
  if (available <= 0) return new SoldOutError(category.name);
  if (available < quantity) return new InsufficientSeatsError(category.name, quantity, available);
  return undefined;
}

/**
 * Seats for several requests on one locked row, in arrival order: each gets the answer it would
 * have got alone at that point, so a request that does not fit is refused while a later, smaller
 * one may still be served. Returns each request's refusal, or undefined where it fits.
 */
export function allocateInArrivalOrder(category: SeatCounts, quantities: number[]): (SoldOutError | InsufficientSeatsError | undefined)[] {
  const running = { ...category };
  return quantities.map((quantity) => {
    const shortage = seatShortage(running, quantity);
    if (!shortage) running.seatsSold += quantity;
    return shortage;
  });
}
