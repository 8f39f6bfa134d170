import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { centsColumnTransformer } from '../common/money.js';
import { TicketCategory } from '../events/ticket-category.entity.js';

export enum HoldStatus {
  /** Counts against availability until expires_at; the sweep turns an overdue one into Expired. */
  Active = 'active',
  Confirmed = 'confirmed',
  Expired = 'expired',
  /** Let go because the event was cancelled. */
  Released = 'released',
}

@Entity({ name: 'holds' })
export class Hold {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 12 })
  reference!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: HoldStatus;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @Column({ name: 'ticket_category_id', type: 'integer' })
  ticketCategoryId!: number;

  @ManyToOne(() => TicketCategory)
  @JoinColumn({ name: 'ticket_category_id' })
  ticketCategory!: Relation<TicketCategory>;

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

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'booking_id', type: 'integer', nullable: true })
  bookingId!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
