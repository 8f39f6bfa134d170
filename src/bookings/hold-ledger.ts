import { LessThanOrEqual, type EntityManager } from 'typeorm';
import { EventCancelledError } from '../common/domain-error.js';
import { BuiltQuery, hydrate } from '../database/built-query.js';
import type { CommitWrites } from '../database/statement-pipeline.js';
import type { LockMode } from '../database/transaction-runner.js';
import { seatsLeft, TicketCategory } from '../events/ticket-category.entity.js';
import { Hold, HoldStatus } from './hold.entity.js';

const LOCKED_PROPERTIES = ['id', 'eventId', 'name', 'priceCents', 'seatsLimit', 'seatsSold', 'seatsHeld', 'salesClosed'] as const;

export type LockedCategory = Pick<TicketCategory, (typeof LOCKED_PROPERTIES)[number]>;

function categoryQuery(lock: LockMode): BuiltQuery {
  return new BuiltQuery((dataSource) => {
    const builder = dataSource
      .getRepository(TicketCategory)
      .createQueryBuilder('category')
      .select(LOCKED_PROPERTIES.map((property) => `category.${property}`))
      .where('category.id = :id');
    return lock ? builder.setLock(lock) : builder;
  });
}

const lockedCategoryQueries = { pessimistic_write: categoryQuery('pessimistic_write'), none: categoryQuery(undefined) };

const addSeats = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(TicketCategory)
    .set({ seatsSold: () => 'seats_sold + :sold', seatsHeld: () => 'seats_held + :held' })
    .where('id = :id'),
);

/**
 * Everything that changes seat counters goes through here, inside a write transaction whose
 * first statement locked the category row. Holding that lock is what makes each count-then-write
 * safe. The lock and the counter update are built once: every booking runs them.
 */
export async function lockCategory(manager: EntityManager, categoryId: number, lock: LockMode): Promise<LockedCategory> {
  const [row] = await lockedCategoryQueries[lock ?? 'none'].rows(manager, { id: categoryId });
  if (!row) throw new Error(`Ticket category ${categoryId} vanished while it was being booked`);
  return hydrate(manager.connection, TicketCategory, 'category', row);
}

/** Locks a category that is about to sell or hold seats; a cancellation that got there first wins. */
export async function lockOpenCategory(manager: EntityManager, categoryId: number, lock: LockMode): Promise<LockedCategory> {
  const category = await lockCategory(manager, categoryId, lock);
  if (category.salesClosed) throw new EventCancelledError(category.eventId);
  return category;
}

/**
 * Turns the category's overdue active holds into expired ones and gives their seats back.
 * Called by the sweep, and by a booking or hold that would not fit while overdue holds still
 * count: an expired hold never blocks a buyer, whether or not the sweep has run yet.
 */
export async function expireOverdueHolds(manager: EntityManager, category: LockedCategory, now: Date): Promise<number> {
  const overdue = { ticketCategoryId: category.id, status: HoldStatus.Active, expiresAt: LessThanOrEqual(now) };
  const row = await manager
    .createQueryBuilder(Hold, 'hold')
    .select('COALESCE(SUM(hold.quantity), 0)', 'seats')
    .where(overdue)
    .getRawOne<{ seats: number | string }>();
  const seats = Number(row?.seats ?? 0);
  if (seats === 0) return 0;
  await manager.update(Hold, overdue, { status: HoldStatus.Expired });
  await changeSeats(manager, category, { held: -seats });
  return seats;
}

/** Makes room by expiring overdue holds only when the request would not fit otherwise. */
export async function freeOverdueSeatsIfShort(
  manager: EntityManager,
  category: LockedCategory,
  quantity: number,
  now: Date,
): Promise<void> {
  if (seatsLeft(category) < quantity && category.seatsHeld > 0) await expireOverdueHolds(manager, category, now);
}

interface SeatChange {
  sold?: number;
  held?: number;
}

/** One UPDATE for both counters; the in-memory copy follows so later checks see the new counts. */
export async function changeSeats(manager: EntityManager, category: LockedCategory, change: SeatChange): Promise<void> {
  await addSeats.execute(manager, seatChangeParameters(category, change));
  countChange(category, change);
}

/** The same UPDATE, sent with the commit: for a transaction that reads nothing after it. */
export function changeSeatsOnCommit(writes: CommitWrites, manager: EntityManager, category: LockedCategory, change: SeatChange): void {
  void writes.add(addSeats.statement(manager, seatChangeParameters(category, change)));
  countChange(category, change);
}

function seatChangeParameters(category: LockedCategory, { sold = 0, held = 0 }: SeatChange): Record<string, unknown> {
  return { sold: Math.trunc(sold), held: Math.trunc(held), id: category.id };
}

function countChange(category: LockedCategory, { sold = 0, held = 0 }: SeatChange): void {
  category.seatsSold += sold;
  category.seatsHeld += held;
}
