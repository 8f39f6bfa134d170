import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TicketCategory } from './ticket-category.entity.js';

export enum EventStatus {
  Scheduled = 'scheduled',
  Cancelled = 'cancelled',
}

@Entity({ name: 'events' })
@Index('idx_events_date_id', ['date', 'id'])
export class Event {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  venue!: string;

  @Column({ type: 'text', nullable: true })
  details!: string | null;

  @Column({ type: 'datetime', precision: 3 })
  date!: Date;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  /** Null only for events published before organisers existed; those can no longer be changed. */
  @Column({ name: 'organizer_id', type: 'integer', nullable: true })
  organizerId!: number | null;

  @Column({ type: 'varchar', length: 16 })
  status!: EventStatus;

  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true })
  cancelledAt!: Date | null;

  @OneToMany(() => TicketCategory, (category) => category.event, { cascade: ['insert'] })
  ticketCategories!: Relation<TicketCategory[]>;
}
