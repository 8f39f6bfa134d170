import { Column, Entity, Index } from 'typeorm';
import { LedgerEntry } from './ledger-entry.js';

export enum BookingStatus {
  Confirmed = 'confirmed',
  Cancelled = 'cancelled',
}

/** Seats sold: counted in its category's seats_sold while confirmed. */
@Entity({ name: 'bookings' })
@Index('idx_bookings_ticket_category', ['ticketCategoryId'])
export class Booking extends LedgerEntry {
  @Column({ type: 'varchar', length: 16 })
  status!: BookingStatus;

  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true })
  cancelledAt!: Date | null;
}
