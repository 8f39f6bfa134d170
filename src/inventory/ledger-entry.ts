import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { centsColumnTransformer } from '../common/money.js';

/**
 * What bookings and holds have in common: seats of one category, claimed by a buyer at a price.
 * Each is a table of its own; this class only declares their shared columns once.
 */
export abstract class LedgerEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** 12 characters of Crockford base32: the only way a buyer addresses the entry. */
  @Column({ type: 'varchar', length: 12 })
  reference!: string;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @Column({ name: 'ticket_category_id', type: 'integer' })
  ticketCategoryId!: number;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price', type: 'decimal', precision: 10, scale: 2, transformer: centsColumnTransformer })
  unitPriceCents!: number;

  @Column({ name: 'total_price', type: 'decimal', precision: 16, scale: 2, transformer: centsColumnTransformer })
  totalPriceCents!: number;

  @Column({ name: 'customer_name', type: 'varchar', length: 200, nullable: true })
  customerName!: string | null;

  @Column({ name: 'customer_email', type: 'varchar', length: 254, nullable: true })
  customerEmail!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
