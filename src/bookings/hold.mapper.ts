import { ApiProperty } from '@nestjs/swagger';
import type { HoldDetails } from './booking-details.js';
import { mapOrder, ORDER_FIELDS, OrderItemResponse } from './order-item.mapper.js';

export class HoldResponse {
  @ApiProperty({ example: '9TGQ3CT328VG', description: 'Confirm or release the hold with it; the booking keeps it.' })
  reference!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  event_id!: number;

  @ApiProperty(ORDER_FIELDS.ticket_category)
  ticket_category!: string | null;

  @ApiProperty(ORDER_FIELDS.quantity)
  quantity!: number;

  @ApiProperty(ORDER_FIELDS.unit_price)
  unit_price!: number | null;

  @ApiProperty(ORDER_FIELDS.total_price)
  total_price!: number;

  @ApiProperty(ORDER_FIELDS.currency)
  currency!: string;

  @ApiProperty(ORDER_FIELDS.code)
  code!: string | null;

  @ApiProperty(ORDER_FIELDS.discount_total)
  discount_total!: number;

  @ApiProperty(ORDER_FIELDS.items)
  items!: OrderItemResponse[];

  @ApiProperty({ format: 'date-time', example: '2026-11-29T18:52:40.630Z' })
  expires_at!: string;
}

/** Customer details stay out of it on purpose: anyone with the reference may see a hold. */
export function mapHold({ hold, event, lines }: HoldDetails): HoldResponse {
  return {
    reference: hold.reference,
    event_id: hold.eventId,
    ...mapOrder(hold, lines, event),
    expires_at: hold.expiresAt.toISOString(),
  };
}
