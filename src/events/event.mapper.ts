import { ApiProperty } from '@nestjs/swagger';
import { centsToAmount } from '../common/money.js';
import type { Event } from './event.entity.js';
import type { TicketCategory } from './ticket-category.entity.js';

export class TicketCategoryResponse {
  @ApiProperty({ example: 'VIP' })
  name!: string;

  @ApiProperty({ example: 150 })
  price!: number;

  @ApiProperty({ type: 'integer', example: 50 })
  seats_limit!: number;

  @ApiProperty({ type: 'integer', example: 2 })
  seats_sold!: number;

  @ApiProperty({ type: 'integer', example: 48, description: 'seats_limit − seats_sold' })
  seats_available!: number;
}

export class EventResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id!: number;

  @ApiProperty({ example: 'Music Concert' })
  name!: string;

  @ApiProperty({ example: 'Stadium A' })
  venue!: string;

  @ApiProperty({ format: 'date-time', example: '2027-06-15T18:00:00.000Z', description: 'UTC' })
  date!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'A great music concert.' })
  details!: string | null;

  @ApiProperty({ description: 'True when no category has a seat left.' })
  sold_out!: boolean;

  @ApiProperty({ type: [TicketCategoryResponse] })
  ticket_categories!: TicketCategoryResponse[];
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
