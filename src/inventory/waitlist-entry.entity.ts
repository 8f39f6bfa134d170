import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum WaitlistStatus {
  /** In line for its category: offered seats as soon as enough of them are free. */
  Waiting = 'waiting',
  /** Seats are kept for it by a hold (hold_reference) until offer_expires_at. */
  Offered = 'offered',
  /** The offer's hold was confirmed: a booking under the hold's reference. */
  Converted = 'converted',
  /** The offer ran out unconfirmed, or the event was cancelled. */
  Expired = 'expired',
  /** Left the line, or let its offer go. */
  Withdrawn = 'withdrawn',
}

/**
 * A buyer waiting for seats of a sold-out category. Only the seat ledger changes its status: an
 * offer is made in whichever transaction frees the seats, under the category's lock.
 */
@Entity({ name: 'waitlist_entries' })
@Index('uq_waitlist_entries_reference', ['reference'], { unique: true })
@Index('idx_waitlist_entries_line', ['ticketCategoryId', 'status', 'id'])
@Index('idx_waitlist_entries_event', ['eventId', 'id'])
@Index('idx_waitlist_entries_hold', ['holdReference'])
export class WaitlistEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 12 })
  reference!: string;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @Column({ name: 'ticket_category_id', type: 'integer' })
  ticketCategoryId!: number;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'customer_email', type: 'varchar', length: 254 })
  customerEmail!: string;

  @Column({ name: 'customer_name', type: 'varchar', length: 200, nullable: true })
  customerName!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: WaitlistStatus;

  /** The offer's hold (and, once confirmed, the booking's) reference; null until offered. */
  @Column({ name: 'hold_reference', type: 'varchar', length: 12, nullable: true })
  holdReference!: string | null;

  @Column({ name: 'offer_expires_at', type: 'datetime', precision: 3, nullable: true })
  offerExpiresAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

/** An entry as the API answers it and its webhooks carry it; customers only for the organiser. */
export interface WaitlistEntryJson {
  reference: string;
  status: WaitlistStatus;
  event_id: number;
  ticket_category: string;
  quantity: number;
  position: number | null;
  hold_reference: string | null;
  offer_expires_at: string | null;
  created_at: string;
  customer_email?: string;
  customer_name?: string | null;
}

/**
 * Rendered here rather than in the waitlist feature because the ledger announces offers and their
 * expiry from any transaction that frees seats (a cancellation, the sweep, an organiser's PATCH),
 * and a message's `data` is the JSON the organiser reads from the API.
 */
export function waitlistEntryJson(entry: WaitlistEntry, categoryName: string, position: number | null, withCustomer: boolean): WaitlistEntryJson {
  return {
    reference: entry.reference,
    status: entry.status,
    event_id: entry.eventId,
    ticket_category: categoryName,
    quantity: entry.quantity,
    position: entry.status === WaitlistStatus.Waiting ? position : null,
    hold_reference: entry.holdReference,
    offer_expires_at: entry.offerExpiresAt?.toISOString() ?? null,
    created_at: entry.createdAt.toISOString(),
    ...(withCustomer && { customer_email: entry.customerEmail, customer_name: entry.customerName }),
  };
}
