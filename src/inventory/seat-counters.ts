import { addSeats } from './ledger-statements.js';
import type { LedgerTransaction } from './ledger-transaction.js';
import type { TicketCategory } from './ticket-category.entity.js';

export interface SeatChange {
  sold?: number;
  held?: number;
}

/** One UPDATE for both counters, sent with the commit; the in-memory copy follows so later checks see the new counts. */
export function changeSeats(tx: LedgerTransaction, category: TicketCategory, { sold = 0, held = 0 }: SeatChange): void {
  void tx.write(addSeats.statement(tx.dataSource, { sold: Math.trunc(sold), held: Math.trunc(held), id: category.id }));
  category.seatsSold += sold;
  category.seatsHeld += held;
}
