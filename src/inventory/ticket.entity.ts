import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum TicketStatus {
  Valid = 'valid',
  Cancelled = 'cancelled',
}

/** One seat of a confirmed booking, admitted at the door by its code. */
@Entity({ name: 'tickets' })
@Index('uq_tickets_code', ['code'], { unique: true })
@Index('idx_tickets_reference', ['reference'])
export class Ticket {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  /** The booking's reference. */
  @Column({ type: 'varchar', length: 12 })
  reference!: string;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @Column({ name: 'ticket_category_id', type: 'integer' })
  ticketCategoryId!: number;

  @Column({ name: 'attendee_name', type: 'varchar', length: 200, nullable: true })
  attendeeName!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: TicketStatus;

  @Column({ name: 'checked_in_at', type: 'datetime', precision: 3, nullable: true })
  checkedInAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
