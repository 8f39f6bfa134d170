import { BuiltQuery, type Queryable } from '../database/built-query.js';
import { Hold } from './hold.entity.js';
import { LineState, OrderLine } from './order-line.entity.js';
import type { TicketCategory } from './ticket-category.entity.js';

const unexpiredHeldSeats = new BuiltQuery((dataSource) =>
  dataSource
    .getRepository(OrderLine)
    .createQueryBuilder('line')
    .innerJoin(Hold, 'hold', 'hold.reference = line.reference')
    .select('line.ticketCategoryId', 'categoryId')
    .addSelect('SUM(line.quantity)', 'seats')
    .where('line.ticketCategoryId IN (:...categoryIds) AND line.state = :held AND hold.expiresAt > :now')
    .groupBy('line.ticketCategoryId'),
);

/**
 * The seats_held counter still includes holds that expired since the last sweep; what we
 * publish never does. Only categories with held seats cost a query, and one query covers them all.
 */
export async function countOnlyUnexpiredHolds(source: Queryable, categories: TicketCategory[], now = new Date()): Promise<void> {
  const withHolds = categories.filter((category) => category.seatsHeld > 0);
  if (withHolds.length === 0) return;
  const rows = await unexpiredHeldSeats.rows(source, { categoryIds: withHolds.map((category) => category.id), held: LineState.Held, now });
  const heldNow = new Map(rows.map((row) => [Number(row.categoryId), Number(row.seats)]));
  for (const category of withHolds) category.seatsHeld = heldNow.get(category.id) ?? 0;
}
