import { centsToAmount } from '../common/money.js';
import type { Hold } from './hold.entity.js';

export interface HoldResponse {
  reference: string;
  event_id: number;
  ticket_category: string;
  quantity: number;
  unit_price: number;
  total_price: number;
  expires_at: string;
}

/** Expects the hold's ticket category to be loaded. Customer details stay out of it on purpose. */
export function mapHold(hold: Hold): HoldResponse {
  return {
    reference: hold.reference,
    event_id: hold.eventId,
    ticket_category: hold.ticketCategory.name,
    quantity: hold.quantity,
    unit_price: centsToAmount(hold.unitPriceCents),
    total_price: centsToAmount(hold.totalPriceCents),
    expires_at: hold.expiresAt.toISOString(),
  };
}
