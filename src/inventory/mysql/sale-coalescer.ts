import { BusyTryAgainError, DomainError } from '../../common/domain-error.js';
import type { Sale } from '../seat-ledger.js';
import { NobodyWaiting, type BoundedSale } from './bounded-sale.js';

/** Most bookings one coalesced transaction takes; the rest wait for the next one. */
export const MAX_BATCH = 100;

/** What the coalescer needs of the adapter: a transaction for one sale, and one for a batch. */
export interface SaleTransactions {
  sellAlone(sale: BoundedSale): Promise<Sale>;
  /**
   * Each sale's booking or its own refusal, in the batch's order (undefined for a sale answered
   * before the transaction got the lock); throws when the batch as a whole failed.
   */
  sellTogether(sales: BoundedSale[]): Promise<(Sale | DomainError | undefined)[]>;
}

/**
 * The hot row's limit is the time its lock is held, not CPU: one-category bookings of a category
 * that arrive while a transaction on it runs wait and then share the next one, so the lock is
 * taken once for all of them. An idle category starts at once, so a lone buyer waits for nothing.
 */
export class SaleCoalescer {
  /** Per category: sales that arrived while a transaction on it was running. A key means one is running. */
  private readonly waiting = new Map<number, BoundedSale[]>();

  constructor(private readonly transactions: SaleTransactions) {}

  /** `sale` is of one category. */
  sell(sale: BoundedSale): Promise<Sale> {
    const { categoryId } = sale.request.lines[0];
    const queue = this.waiting.get(categoryId);
    if (queue) {
      queue.push(sale);
    } else {
      this.waiting.set(categoryId, []);
      void this.drain(categoryId, [sale]);
    }
    return sale.answer;
  }

  private async drain(categoryId: number, first: BoundedSale[]): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      await this.settle(categoryId, batch);
      // Sales whose bound ran out while they queued have had their answer already.
      const queue = (this.waiting.get(categoryId) ?? []).filter((sale) => !sale.answered);
      batch = queue.splice(0, MAX_BATCH);
      this.waiting.set(categoryId, queue);
    }
    this.waiting.delete(categoryId);
  }

  /** Gives every sale of the batch its own answer; never throws. */
  private async settle(categoryId: number, batch: BoundedSale[]): Promise<void> {
    if (batch.length === 1) return this.settleAlone(categoryId, batch[0]);
    let outcomes: (Sale | DomainError | undefined)[];
    try {
      outcomes = await this.transactions.sellTogether(batch);
    } catch (error) {
      if (error instanceof NobodyWaiting) return;
      // A category still locked past the bound is every waiting buyer's answer; any other failure
      // may be one request's doing, so each is tried again on its own and gets only its own error.
      if (error instanceof BusyTryAgainError) return this.answerEveryoneBusy(categoryId, batch);
      await Promise.all(batch.map((sale) => this.settleAlone(categoryId, sale)));
      return;
    }
    batch.forEach((sale, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof DomainError) sale.reject(outcome);
      else if (outcome) sale.resolve(outcome);
    });
  }

  private async settleAlone(categoryId: number, sale: BoundedSale): Promise<void> {
    try {
      sale.resolve(await this.transactions.sellAlone(sale));
    } catch (error) {
      if (error instanceof NobodyWaiting) return;
      if (error instanceof BusyTryAgainError) return this.answerEveryoneBusy(categoryId, [sale]);
      sale.reject(error);
    }
  }

  /** The lock stayed taken past the bound: the buyers queued behind this transaction would only wait for the same, so they hear so at once. */
  private answerEveryoneBusy(categoryId: number, batch: BoundedSale[]): void {
    const queued = this.waiting.get(categoryId) ?? [];
    for (const sale of [...batch, ...queued.splice(0)]) sale.reject(new BusyTryAgainError());
  }
}
