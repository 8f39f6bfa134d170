import { ApiProperty } from '@nestjs/swagger';
import { centsToAmount } from '../common/money.js';
import { localIsoDate } from '../common/time-zone.js';
import { EventStatus, hasTakenPlace, type Event } from './event.entity.js';
import { salesPhase, seatsLeft, type TicketCategory } from '../inventory/ticket-category.entity.js';

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

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'Sales open at this instant (UTC); null: since publication.' })
  sales_start!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'Sales close at this instant (UTC); null: at the event.' })
  sales_end!: string | null;

  @ApiProperty({ example: true, description: "True when it can be booked right now: the event is scheduled and still to come, and the time is within the category's sales window." })
  on_sale!: boolean;

  @ApiProperty({ example: false, description: "Only the event's owner sees hidden categories (with the owner's key); they are sold only with an access code." })
  hidden!: boolean;
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

  @ApiProperty({ example: 'Europe/Berlin', description: 'The IANA time zone where the event takes place.' })
  timezone!: string;

  @ApiProperty({ example: '2027-06-15T20:00:00+02:00', description: 'The date as it reads in the time zone, with its offset at that instant (ISO 8601).' })
  local_date!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217: the currency of every price of the event.' })
  currency!: string;

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

export function mapTicketCategory(category: TicketCategory, eventOnSale: boolean, now: Date): TicketCategoryResponse {
  return {
    name: category.name,
    price: centsToAmount(category.priceCents),
    seats_limit: category.seatsLimit,
    seats_sold: category.seatsSold,
    seats_held: category.seatsHeld,
    seats_available: seatsLeft(category),
    max_per_booking: category.maxPerBooking,
    sales_start: category.salesStart?.toISOString() ?? null,
    sales_end: category.salesEnd?.toISOString() ?? null,
    on_sale: eventOnSale && salesPhase(category, now) === 'open',
    hidden: category.hidden,
  };
}

/**
 * The event as `viewer` (the organiser whose key came with the request, if any) may see it: its
 * owner sees hidden categories, anyone else the public ones only, and whether it is sold out is
 * said of the categories shown.
 */
export function mapEvent(event: Event, viewer: number | undefined, now = new Date()): EventResponse {
  const owner = viewer !== undefined && viewer === event.organizerId;
  const categories = event.ticketCategories.filter((category) => owner || !category.hidden).sort((a, b) => a.id - b.id);
  const eventOnSale = event.status === EventStatus.Scheduled && !hasTakenPlace(event, now);
  return {
    id: event.id,
    name: event.name,
    venue: event.venue,
    date: event.date.toISOString(),
    timezone: event.timezone,
    local_date: localIsoDate(event.date, event.timezone),
    currency: event.currency,
    details: event.details,
    status: event.status,
    max_tickets_per_booking: event.maxTicketsPerBooking,
    sold_out: categories.every((category) => seatsLeft(category) <= 0),
    ticket_categories: categories.map((category) => mapTicketCategory(category, eventOnSale, now)),
  };
}
