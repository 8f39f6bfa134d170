import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { centsColumnTransformer } from '../common/money.js';
import { Event } from '../events/event.entity.js';
import { TicketCategory } from '../events/ticket-category.entity.js';

export enum BookingStatus {
  Confirmed = 'confirmed',
  Cancelled = 'cancelled',
}

@Entity({ name: 'bookings' })
@Index('idx_bookings_ticket_category', ['ticketCategoryId'])
export class Booking {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 12 })
  reference!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: BookingStatus;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @ManyToOne(() => Event)
  @JoinColumn({ name: 'event_id' })
  event!: Relation<Event>;

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

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true })
  cancelledAt!: Date | null;
}
