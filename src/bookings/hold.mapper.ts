import { ApiProperty } from '@nestjs/swagger';
import { centsToAmount } from '../common/money.js';
import type { HoldDetails } from './booking-details.js';

export class HoldResponse {
  @ApiProperty({ example: '9TGQ3CT328VG', description: 'Confirm or release the hold with it; the booking keeps it.' })
  reference!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  event_id!: number;

  @ApiProperty({ example: 'VIP' })
  ticket_category!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  quantity!: number;

  @ApiProperty({ example: 150 })
  unit_price!: number;

  @ApiProperty({ example: 300 })
  total_price!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T18:52:40.630Z' })
  expires_at!: string;
}

/** Customer details stay out of it on purpose: anyone with the reference may see a hold. */
export function mapHold({ hold, categoryName }: HoldDetails): HoldResponse {
  return {
    reference: hold.reference,
    event_id: hold.eventId,
    ticket_category: categoryName,
    quantity: hold.quantity,
    unit_price: centsToAmount(hold.unitPriceCents),
    total_price: centsToAmount(hold.totalPriceCents),
    expires_at: hold.expiresAt.toISOString(),
  };
}
