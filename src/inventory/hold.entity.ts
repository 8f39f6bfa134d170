import { Column, Entity } from 'typeorm';
import { LedgerEntry } from './ledger-entry.js';

export enum HoldStatus {
  /** Counts against availability until expires_at; the sweep turns an overdue one into Expired. */
  Active = 'active',
  Confirmed = 'confirmed',
  Expired = 'expired',
  /** Let go because the event was cancelled. */
  Released = 'released',
}

/** Seats kept for a buyer until `expiresAt`: counted in its category's seats_held while active. */
@Entity({ name: 'holds' })
export class Hold extends LedgerEntry {
  @Column({ type: 'varchar', length: 16 })
  status!: HoldStatus;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;

  /** The booking a confirmation made; it keeps the hold's reference. */
  @Column({ name: 'booking_id', type: 'integer', nullable: true })
  bookingId!: number | null;
}
