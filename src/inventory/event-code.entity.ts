import { Column, Entity, Index, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';
import { centsColumnTransformer } from '../common/money.js';

export enum CodeKind {
  /** Takes money off the lines it applies to. */
  Discount = 'discount',
  /** Unlocks the hidden categories it applies to; it may take money off too. */
  Access = 'access',
}

/** Category ids travel as a JSON array in a text column, the same on both databases; null is every category. */
const idsTransformer: ValueTransformer = {
  to: (ids: number[] | null | undefined) => (ids === undefined ? undefined : ids === null ? null : JSON.stringify(ids)),
  from: (text: string | null) => (text === null ? null : (JSON.parse(text) as number[])),
};

/**
 * A discount or access code of one event. The codes feature creates and changes them; only the
 * seat ledger changes `uses`, under the code's row lock taken after the categories', in the
 * transaction of the booking or hold that uses it (and gives it back in that of its release,
 * expiry or cancellation), so a code is never used more than `max_uses` times.
 */
@Entity({ name: 'event_codes' })
@Index('uq_event_codes_event_code', ['eventId', 'code'], { unique: true })
export class EventCode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  /** In upper case: codes are matched ignoring case. */
  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: CodeKind;

  @Column({ name: 'discount_percent', type: 'integer', nullable: true })
  discountPercent!: number | null;

  /** Taken off each ticket it applies to, in the event's currency. */
  @Column({ name: 'discount_amount', type: 'decimal', precision: 10, scale: 2, nullable: true, transformer: centsColumnTransformer })
  discountAmountCents!: number | null;

  /** Bookings and holds that may use it at once; null for no limit. */
  @Column({ name: 'max_uses', type: 'integer', nullable: true })
  maxUses!: number | null;

  /** Active holds and confirmed bookings that use it. */
  @Column({ type: 'integer' })
  uses!: number;

  @Column({ name: 'valid_from', type: 'datetime', precision: 3, nullable: true })
  validFrom!: Date | null;

  @Column({ name: 'valid_until', type: 'datetime', precision: 3, nullable: true })
  validUntil!: Date | null;

  /** The categories it applies to (for an access code, the hidden ones it unlocks); null for all, later ones too. */
  @Column({ name: 'ticket_category_ids', type: 'text', nullable: true, transformer: idsTransformer })
  ticketCategoryIds!: number[] | null;

  @Column({ name: 'disabled_at', type: 'datetime', precision: 3, nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

/** How a code is compared and stored. */
export function codeKey(code: string): string {
  return code.toUpperCase();
}

export function appliesTo(code: Pick<EventCode, 'ticketCategoryIds'>, categoryId: number): boolean {
  return code.ticketCategoryIds === null || code.ticketCategoryIds.includes(categoryId);
}

/** Usable at that instant: not disabled, and within its window (valid_from inclusive, valid_until exclusive). */
export function isUsableAt(code: Pick<EventCode, 'disabledAt' | 'validFrom' | 'validUntil'>, now: Date): boolean {
  if (code.disabledAt !== null) return false;
  if (code.validFrom !== null && now.getTime() < code.validFrom.getTime()) return false;
  return code.validUntil === null || now.getTime() < code.validUntil.getTime();
}
