import { EventCancelledError, EventInPastError, QuantityAboveLimitError, TicketCategoryNotFoundError, TooManyTicketsError } from '../common/domain-error.js';
import { EventStatus, hasTakenPlace, type Event } from '../events/event.entity.js';
import { MAX_PER_BOOKING } from '../events/dto/create-event.dto.js';
import { categoryNameKey, type TicketCategory } from '../inventory/ticket-category.entity.js';
import type { SeatLine } from '../inventory/seat-ledger.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';

/** Seats can be booked or held only for a scheduled event that has not yet taken place. */
export function assertOnSale(event: Pick<Event, 'id' | 'date' | 'status'>, now: Date): void {
  if (event.status === EventStatus.Cancelled) throw new EventCancelledError(event.id);
  if (hasTakenPlace(event, now)) throw new EventInPastError(event.id);
}

/** A line of a seat request as the buyer sent it: a category by name. */
export interface RequestedLine {
  categoryName: string;
  quantity: number;
  attendeeNames: string[];
}

/** The lines of a request in either of its forms, in the order sent. */
export function requestedLines(dto: CreateBookingDto): RequestedLine[] {
  const items = dto.items ?? [{ ticket_category: dto.ticket_category as string, quantity: dto.quantity as number, attendee_names: dto.attendee_names }];
  return items.map((item) => ({ categoryName: item.ticket_category, quantity: item.quantity, attendeeNames: item.attendee_names ?? [] }));
}

/**
 * Checks that need no lock, in the contract's order — the event is on sale, has every category,
 * no line takes more than its category's per-booking limit, the order no more tickets than the
 * event's — each finding the first failing line in the order sent. Answers the lines by category.
 */
export function bookableLines(event: Event, lines: RequestedLine[], now: Date): (SeatLine & { category: TicketCategory })[] {
  assertOnSale(event, now);
  const found = lines.map((line) => {
    const key = categoryNameKey(line.categoryName);
    const category = event.ticketCategories.find((candidate) => candidate.nameKey === key);
    if (!category) throw new TicketCategoryNotFoundError(event.id, line.categoryName);
    return { category, categoryId: category.id, quantity: line.quantity, attendeeNames: line.attendeeNames };
  });
  for (const { category, quantity } of found) {
    if (category.maxPerBooking !== null && quantity > category.maxPerBooking) throw new QuantityAboveLimitError(category.name, category.maxPerBooking);
  }
  const limit = event.maxTicketsPerBooking ?? MAX_PER_BOOKING;
  if (found.reduce((sum, line) => sum + line.quantity, 0) > limit) throw new TooManyTicketsError(limit);
  return found;
}
