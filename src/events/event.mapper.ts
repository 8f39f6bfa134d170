import { centsToAmount } from '../common/money.js';
import type { Event } from './event.entity.js';
import { seatsLeft, type TicketCategory } from './ticket-category.entity.js';

export interface TicketCategoryResponse {
  name: string;
  price: number;
  seats_limit: number;
  seats_sold: number;
  seats_held: number;
  seats_available: number;
  max_per_booking: number | null;
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


export function mapTicketCategory(category: TicketCategory): TicketCategoryResponse {
  return {
    name: category.name,
    price: centsToAmount(category.priceCents),
    seats_limit: category.seatsLimit,
    seats_sold: category.seatsSold,
    seats_held: category.seatsHeld,
    seats_available: seatsLeft(category),
    max_per_booking: category.maxPerBooking,
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
    sold_out: categories.every((category) => seatsLeft(category) <= 0),
    ticket_categories: categories.map(mapTicketCategory),
  };
}
