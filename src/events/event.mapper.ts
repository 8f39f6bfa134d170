import { centsToAmount } from '../common/money.js';
import type { Event } from './event.entity.js';
import type { TicketCategory } from './ticket-category.entity.js';

export interface TicketCategoryResponse {
  name: string;
  price: number;
  seats_limit: number;
  seats_sold: number;
  seats_available: number;
}

export interface EventResponse {
  id: number;
  name: string;
  venue: string;
  date: string;
  details: string | null;
  sold_out: boolean;
  ticket_categories: TicketCategoryResponse[];
}

export function seatsAvailable(category: TicketCategory): number {
  return category.seatsLimit - category.seatsSold;
}

export function mapTicketCategory(category: TicketCategory): TicketCategoryResponse {
  return {
    name: category.name,
    price: centsToAmount(category.priceCents),
    seats_limit: category.seatsLimit,
    seats_sold: category.seatsSold,
    seats_available: seatsAvailable(category),
  };
}

export function mapEvent(event: Event): EventResponse {
  const categories = [...event.ticketCategories].sort((a, b) => a.id - b.id);
  return {
    id: event.id,
    name: event.name,
    venue: event.venue,
    date: event.date.toISOString(),
    details: event.details,
    sold_out: categories.every((category) => seatsAvailable(category) <= 0),
    ticket_categories: categories.map(mapTicketCategory),
  };
}
