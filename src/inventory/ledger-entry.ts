import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { centsColumnTransformer } from '../common/money.js';

/**
 * What bookings and holds have in common: an order of seats claimed by a buyer, with its lines
 * (OrderLine) under the same reference. Each is a table of its own; this class only declares
 * their shared columns once. The category and unit price are those of a one-category order, null
 * for an order of several.
 */
export abstract class LedgerEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** 12 characters of Crockford base32: the only way a buyer addresses the entry. */
  @Column({ type: 'varchar', length: 12 })
  reference!: string;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @Column({ name: 'ticket_category_id', type: 'integer', nullable: true })
  ticketCategoryId!: number | null;

  /** Seats over all lines. */
  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price', type: 'decimal', precision: 10, scale: 2, nullable: true, transformer: centsColumnTransformer })
  unitPriceCents!: number | null;

  @Column({ name: 'total_price', type: 'decimal', precision: 16, scale: 2, transformer: centsColumnTransformer })
  totalPriceCents!: number;

  @Column({ name: 'customer_name', type: 'varchar', length: 200, nullable: true })
  customerName!: string | null;

  @Column({ name: 'customer_email', type: 'varchar', length: 254, nullable: true })
  customerEmail!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  /** The discount or access code used, as stored (upper case); it counts one use while the entry is active. */
  @Column({ name: 'code_id', type: 'integer', nullable: true })
  codeId!: number | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  code!: string | null;

  /** Taken off over all lines: stored, so a later change of the code never reprices the entry. */
  @Column({ name: 'discount_total', type: 'decimal', precision: 16, scale: 2, transformer: centsColumnTransformer })
  discountTotalCents!: number;
}
