import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { centsToAmount } from '../common/money.js';
import type { Event } from '../events/event.entity.js';
import type { LedgerEntry } from '../inventory/ledger-entry.js';
import type { OrderLine } from '../inventory/order-line.entity.js';
import { categoryNameOf } from './booking-details.js';

export class OrderItemResponse {
  @ApiProperty({ example: 'VIP' })
  ticket_category!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  quantity!: number;

  @ApiProperty({ example: 150, description: "Per ticket, after the code's discount." })
  unit_price!: number;

  @ApiProperty({ example: 150, description: "Per ticket, the category's price when the order was made, before any discount." })
  original_unit_price!: number;

  @ApiProperty({ example: 300 })
  total_price!: number;
}

/** What a booking and a hold say of their lines: the items, and the category and unit price of a one-line order (null otherwise). */
export interface OrderFields {
  ticket_category: string | null;
  quantity: number;
  unit_price: number | null;
  total_price: number;
  currency: string;
  code: string | null;
  discount_total: number;
  items: OrderItemResponse[];
}

export function mapOrder(entry: LedgerEntry, lines: OrderLine[], event: Pick<Event, 'id' | 'ticketCategories' | 'currency'>): OrderFields {
  return {
    ticket_category: entry.ticketCategoryId === null ? null : categoryNameOf(event, entry.ticketCategoryId),
    quantity: entry.quantity,
    unit_price: entry.unitPriceCents === null ? null : centsToAmount(entry.unitPriceCents),
    total_price: centsToAmount(entry.totalPriceCents),
    currency: event.currency,
    code: entry.code,
    discount_total: centsToAmount(entry.discountTotalCents),
    items: lines.map((line) => ({
      ticket_category: categoryNameOf(event, line.ticketCategoryId),
      quantity: line.quantity,
      unit_price: centsToAmount(line.unitPriceCents),
      original_unit_price: centsToAmount(line.originalUnitPriceCents),
      total_price: centsToAmount(line.totalPriceCents),
    })),
  };
}

/** The order fields' documentation, shared by the booking and hold responses. */
export const ORDER_FIELDS: Record<keyof OrderFields, ApiPropertyOptions> = {
  ticket_category: { type: 'string', nullable: true, example: 'VIP', description: 'The category of a one-category order; null for an order of several (see items).' },
  quantity: { type: 'integer', example: 2, description: 'Tickets over all items.' },
  unit_price: { type: 'number', nullable: true, example: 150, description: 'The unit price of a one-category order; null for an order of several.' },
  total_price: { type: 'number', example: 300, description: 'The sum of the items.' },
  currency: { type: 'string', example: 'EUR', description: "The event's currency (ISO 4217), that of every price here." },
  code: { type: 'string', nullable: true, example: null, description: 'The discount or access code used, in capitals; null for none.' },
  discount_total: { type: 'number', example: 0, description: "What the code took off over all items, as it was when the order was made: a later change of the code never reprices it." },
  items: { type: [OrderItemResponse], description: 'One entry per category, in the order sent.' },
};
