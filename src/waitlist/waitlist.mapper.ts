import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WaitlistStatus, waitlistEntryJson, type WaitlistEntryJson } from '../inventory/waitlist-entry.entity.js';
import type { WaitlistEntryDetails } from './waitlist.service.js';

/** An entry as anyone with its reference sees it: no customer details. */
export class WaitlistEntryResponse implements WaitlistEntryJson {
  @ApiProperty({ example: 'K3V9Q0M7ZB2D', description: 'Look the entry up, or withdraw it, with it.' })
  reference!: string;

  @ApiProperty({ enum: WaitlistStatus, example: WaitlistStatus.Waiting })
  status!: WaitlistStatus;

  @ApiProperty({ type: 'integer', example: 1 })
  event_id!: number;

  @ApiProperty({ example: 'General' })
  ticket_category!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 2 })
  quantity!: number;

  @ApiProperty({ type: 'integer', minimum: 1, nullable: true, example: 3, description: 'Place among the entries waiting in the category, 1 for the first; null unless waiting.' })
  position!: number | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: null,
    description: 'Once offered: the hold keeping the seats (confirm it with POST /holds/{reference}/confirm); the booking keeps it. Null until offered.',
  })
  hold_reference!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'Once offered: until when the seats are kept.' })
  offer_expires_at!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-12-02T18:52:40.630Z' })
  created_at!: string;
}

/** An entry as the event's organiser sees it, with the customer: also the `data` of its webhooks. */
export class WaitlistEntryWithCustomerResponse extends WaitlistEntryResponse {
  @ApiProperty({ format: 'email', example: 'ada@example.com' })
  declare customer_email: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'Ada Lovelace' })
  declare customer_name: string | null;
}

export function mapWaitlistEntry({ entry, categoryName, position }: WaitlistEntryDetails): WaitlistEntryResponse {
  return waitlistEntryJson(entry, categoryName, position, false);
}

export function mapWaitlistEntryWithCustomer({ entry, categoryName, position }: WaitlistEntryDetails): WaitlistEntryWithCustomerResponse {
  return waitlistEntryJson(entry, categoryName, position, true) as WaitlistEntryWithCustomerResponse;
}
