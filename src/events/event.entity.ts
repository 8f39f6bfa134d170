import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TicketCategory } from './ticket-category.entity.js';

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

  @OneToMany(() => TicketCategory, (category) => category.event, { cascade: ['insert'] })
  ticketCategories!: Relation<TicketCategory[]>;
}
