import { EventInPastError, InsufficientSeatsError, SoldOutError, TicketCategoryNotFoundError } from '../common/domain-error.js';
import type { Event } from '../events/event.entity.js';
import { categoryNameKey, type TicketCategory } from '../events/ticket-category.entity.js';

/** Checks that need no lock, in the contract's order: the event is upcoming and has the category. */
export function bookableCategory(event: Event, categoryName: string, now: Date): TicketCategory {
  if (event.date.getTime() <= now.getTime()) throw new EventInPastError(event.id);
  const key = categoryNameKey(categoryName);
  const category = event.ticketCategories.find((candidate) => candidate.nameKey === key);
  if (!category) throw new TicketCategoryNotFoundError(event.id, categoryName);
  return category;
}

/** Checked on the locked row: sold out first, then whether enough seats remain. */
export function assertSeatsAvailable(
  category: Pick<TicketCategory, 'name' | 'seatsLimit' | 'seatsSold'>,
  quantity: number,
): void {
  const available = category.seatsLimit - category.seatsSold;
  if (available <= 0) throw new SoldOutError(category.name);
  if (available < quantity) throw new InsufficientSeatsError(category.name, quantity, available);
}
