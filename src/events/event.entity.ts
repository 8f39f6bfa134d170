import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MAX_VENUE_KEY_LENGTH } from '../common/search-terms.js';
import type { TicketCategory } from '../inventory/ticket-category.entity.js';

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

  /** The venue as a venue filter compares it (venueKey in common/search-terms.ts); written, never loaded: only search's SQL reads it. */
  @Column({ name: 'venue_key', type: 'varchar', length: MAX_VENUE_KEY_LENGTH, select: false })
  venueKey?: string;

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

  /** Most tickets one booking or hold may take over all its lines; null for the system's maximum. */
  @Column({ name: 'max_tickets_per_booking', type: 'integer', nullable: true })
  maxTicketsPerBooking!: number | null;

  /** An IANA zone: where the event takes place, for how its dates read there (they are stored in UTC). */
  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  /** ISO 4217: every price of the event is in it, exact to its minor unit. Set at creation. */
  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** Loaded by the events repository; not a relation, so the seat ledger's tables need not know of events. */
  ticketCategories!: TicketCategory[];
}

/** An event whose date has come is history: it is no longer sold, changed or cancelled. */
export function hasTakenPlace(event: Pick<Event, 'date'>, now: Date): boolean {
  return event.date.getTime() <= now.getTime();
}
