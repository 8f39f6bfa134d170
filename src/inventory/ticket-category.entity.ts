import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { centsColumnTransformer } from '../common/money.js';

/**
 * A category of seats of an event, with the counters the seat ledger keeps. The events feature
 * creates categories and names them; only the ledger (src/inventory/) changes their counters.
 */
@Entity({ name: 'ticket_categories' })
@Unique('uq_ticket_categories_event_name', ['eventId', 'nameKey'])
export class TicketCategory {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Lower-cased name: category names are unique within an event regardless of case. */
  @Column({ name: 'name_key', type: 'varchar', length: 100 })
  nameKey!: string;

  @Column({ name: 'price', type: 'decimal', precision: 10, scale: 2, transformer: centsColumnTransformer })
  priceCents!: number;

  @Column({ name: 'seats_limit', type: 'integer' })
  seatsLimit!: number;

  @Column({ name: 'seats_sold', type: 'integer' })
  seatsSold!: number;

  /** Seats of holds not yet confirmed, released or expired by the sweep. */
  @Column({ name: 'seats_held', type: 'integer' })
  seatsHeld!: number;

  @Column({ name: 'max_per_booking', type: 'integer', nullable: true })
  maxPerBooking!: number | null;

  /** Mirrors the event's cancellation on the row every booking locks anyway. */
  @Column({ name: 'sales_closed', type: 'boolean' })
  salesClosed!: boolean;

  /** Before it, the category is not sold yet; null for "from publication". */
  @Column({ name: 'sales_start', type: 'datetime', precision: 3, nullable: true })
  salesStart!: Date | null;

  /** From it on, the category is no longer sold; null for "until the event". */
  @Column({ name: 'sales_end', type: 'datetime', precision: 3, nullable: true })
  salesEnd!: Date | null;

  /** Left out of public answers, and sold only with an access code that unlocks it. */
  @Column({ type: 'boolean' })
  hidden!: boolean;
}

export function categoryNameKey(name: string): string {
  return name.toLowerCase();
}

export type SeatCounts = Pick<TicketCategory, 'name' | 'seatsLimit' | 'seatsSold' | 'seatsHeld'>;

export function seatsLeft(category: SeatCounts): number {
  return category.seatsLimit - category.seatsSold - category.seatsHeld;
}

export type SalesWindow = Pick<TicketCategory, 'salesStart' | 'salesEnd'>;

/** Where `now` lies against the category's sales window: sales_start inclusive, sales_end exclusive. */
export function salesPhase(category: SalesWindow, now: Date): 'not_started' | 'open' | 'ended' {
  if (category.salesStart !== null && now.getTime() < category.salesStart.getTime()) return 'not_started';
  if (category.salesEnd !== null && now.getTime() >= category.salesEnd.getTime()) return 'ended';
  return 'open';
}
