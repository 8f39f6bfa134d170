import { Column, Entity, Index, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';
import { centsColumnTransformer } from '../common/money.js';

export enum LineState {
  /** Counted in its category's seats_held: the line of an active hold. */
  Held = 'held',
  /** Counted in its category's seats_sold: the line of a confirmed booking. */
  Sold = 'sold',
  /** Counted nowhere any more: released, expired, cancelled. */
  Returned = 'returned',
}

/** Attendee names travel as a JSON array in a text column, the same on both databases. */
const namesTransformer: ValueTransformer = {
  to: (names: string[] | null | undefined) => (names === undefined ? undefined : names === null ? null : JSON.stringify(names)),
  from: (text: string | null) => (text === null ? null : (JSON.parse(text) as string[])),
};

/**
 * One category of an order, keyed by the order's reference: the lines of a hold become the
 * booking's lines when it is confirmed (a booking keeps its hold's reference). Each line's seats
 * are counted in its own category until it is returned, so seats_sold and seats_held are sums of
 * lines, category by category.
 */
@Entity({ name: 'order_lines' })
@Index('idx_order_lines_reference', ['reference'])
export class OrderLine {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 12 })
  reference!: string;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @Column({ name: 'ticket_category_id', type: 'integer' })
  ticketCategoryId!: number;

  /** The line's place in the order as the buyer sent it. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price', type: 'decimal', precision: 10, scale: 2, transformer: centsColumnTransformer })
  unitPriceCents!: number;

  @Column({ name: 'total_price', type: 'decimal', precision: 16, scale: 2, transformer: centsColumnTransformer })
  totalPriceCents!: number;

  /** The category's price when the line was priced; unit_price is it less the code's discount. */
  @Column({ name: 'original_unit_price', type: 'decimal', precision: 10, scale: 2, transformer: centsColumnTransformer })
  originalUnitPriceCents!: number;

  /** For a hold: the names its tickets will carry once it is confirmed. */
  @Column({ name: 'attendee_names', type: 'text', nullable: true, transformer: namesTransformer })
  attendeeNames!: string[] | null;

  @Column({ type: 'varchar', length: 16 })
  state!: LineState;
}
