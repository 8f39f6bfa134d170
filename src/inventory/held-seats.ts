import { BuiltQuery, type Queryable } from '../database/built-query.js';
import { Hold, HoldStatus } from './hold.entity.js';
import type { TicketCategory } from './ticket-category.entity.js';

const unexpiredHeldSeats = new BuiltQuery((dataSource) =>
  dataSource
    .getRepository(Hold)
    .createQueryBuilder('hold')
    .select('hold.ticketCategoryId', 'categoryId')
    .addSelect('SUM(hold.quantity)', 'seats')
    .where('hold.ticketCategoryId IN (:...categoryIds) AND hold.status = :active AND hold.expiresAt > :now')
    .groupBy('hold.ticketCategoryId'),
);

/**
 * The seats_held counter still includes holds that expired since the last sweep; what we
 * publish never does. Only categories with held seats cost a query, and one query covers them all.
 */
export async function countOnlyUnexpiredHolds(source: Queryable, categories: TicketCategory[], now = new Date()): Promise<void> {
  const withHolds = categories.filter((category) => category.seatsHeld > 0);
  if (withHolds.length === 0) return;
  const rows = await unexpiredHeldSeats.rows(source, { categoryIds: withHolds.map((category) => category.id), active: HoldStatus.Active, now });
  const heldNow = new Map(rows.map((row) => [Number(row.categoryId), Number(row.seats)]));
  for (const category of withHolds) category.seatsHeld = heldNow.get(category.id) ?? 0;
}
