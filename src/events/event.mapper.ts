import { ApiProperty } from '@nestjs/swagger';
import { centsToAmount } from '../common/money.js';
import { EventStatus, type Event } from './event.entity.js';
import { seatsLeft, type TicketCategory } from '../inventory/ticket-category.entity.js';

export class TicketCategoryResponse {
  @ApiProperty({ example: 'VIP' })
  name!: string;

  @ApiProperty({ example: 150 })
  price!: number;

  @ApiProperty({ type: 'integer', example: 50 })
  seats_limit!: number;

  @ApiProperty({ type: 'integer', example: 2 })
  seats_sold!: number;

  @ApiProperty({ type: 'integer', example: 2, description: 'Seats in holds that have not expired.' })
  seats_held!: number;

  @ApiProperty({ type: 'integer', example: 46, description: 'seats_limit − seats_sold − seats_held' })
  seats_available!: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 4, description: 'Most seats one booking or hold may take; null for no limit.' })
  max_per_booking!: number | null;
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

  @ApiProperty({ enum: EventStatus, example: EventStatus.Scheduled })
  status!: EventStatus;

  @ApiProperty({ type: 'integer', nullable: true, example: null, description: 'Most tickets one booking or hold may take over all its lines; null for the maximum of 1,000.' })
  max_tickets_per_booking!: number | null;

  @ApiProperty({ description: 'True when no category has a seat available right now.' })
  sold_out!: boolean;

  @ApiProperty({ type: [TicketCategoryResponse] })
  ticket_categories!: TicketCategoryResponse[];
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
    status: event.status,
    max_tickets_per_booking: event.maxTicketsPerBooking,
    sold_out: categories.every((category) => seatsLeft(category) <= 0),
    ticket_categories: categories.map(mapTicketCategory),
  };
}
