import type { EntityManager } from 'typeorm';
import type { Booking } from './booking.entity.js';
import type { Hold } from './hold.entity.js';
import { closeSales, changeTerms, completed, confirmHold, expireOverdue, holdSeats, releaseHold, returnSeats, sellOrder } from './ledger-operations.js';
import { ManagerTransaction, type LedgerTransaction } from './ledger-transaction.js';
import type { CategoryTerms, ConfirmedHold, HeldOrder, HoldOrder, Sale, SeatLedger, SeatOrder } from './seat-ledger.js';

/**
 * The port on the ledger's operations (ledger-operations.ts), written once: an adapter says only
 * how one of its own transactions runs, and whether it locks rows.
 */
export abstract class TransactionalLedger implements SeatLedger {
  protected abstract readonly locksRows: boolean;

  protected abstract inTransaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T>;

  async book(order: SeatOrder): Promise<Sale> {
    return completed(await this.inTransaction((tx) => sellOrder(tx, order)));
  }

  hold(order: HoldOrder): Promise<HeldOrder> {
    return this.inTransaction((tx) => holdSeats(tx, order));
  }

  confirmHold(hold: Hold): Promise<ConfirmedHold> {
    return this.inTransaction((tx) => confirmHold(tx, hold));
  }

  releaseHold(hold: Hold): Promise<void> {
    return this.inTransaction((tx) => releaseHold(tx, hold));
  }

  returnSeats(booking: Booking): Promise<Booking> {
    return this.inTransaction((tx) => returnSeats(tx, booking));
  }

  expireOverdue(categoryId: number, now: Date): Promise<number> {
    return this.inTransaction((tx) => expireOverdue(tx, categoryId, now));
  }

  /** In the caller's transaction; its writes have all run (or failed it) once this settles. */
  async changeTerms(manager: EntityManager, changes: CategoryTerms[], now: Date): Promise<void> {
    const tx = new ManagerTransaction(manager, this.locksRows);
    await changeTerms(tx, manager, changes, now);
    await tx.settled();
  }

  async closeSales(manager: EntityManager, eventId: number, categoryIds: number[], now: Date): Promise<void> {
    const tx = new ManagerTransaction(manager, this.locksRows);
    await closeSales(tx, eventId, categoryIds, now);
    await tx.settled();
  }
}
