import { BusyTryAgainError, DomainError } from '../../common/domain-error.js';
import type { Booking } from '../booking.entity.js';
import type { SeatRequest } from '../seat-ledger.js';

/** Most bookings one coalesced transaction takes; the rest wait for the next one. */
export const MAX_BATCH = 100;

/** What the coalescer needs of the adapter: a transaction for one request, and one for a batch. */
export interface SaleTransactions {
  sellAlone(request: SeatRequest): Promise<Booking>;
  /** Each request's booking or its own refusal, in the batch's order; throws when the batch as a whole failed. */
  sellTogether(requests: SeatRequest[]): Promise<(Booking | DomainError)[]>;
}

interface QueuedSale {
  request: SeatRequest;
  resolve: (booking: Booking) => void;
  reject: (error: unknown) => void;
}

/**
 * The hot row's limit is the time its lock is held, not CPU: bookings of a category that arrive
 * while a transaction on it runs wait and then share the next one, so the lock is taken once for
 * all of them. An idle category starts at once, so a lone buyer waits for nothing.
 */
export class SaleCoalescer {
  /** Per category: requests that arrived while a transaction on it was running. A key means one is running. */
  private readonly waiting = new Map<number, QueuedSale[]>();

  constructor(private readonly transactions: SaleTransactions) {}

  sell(request: SeatRequest): Promise<Booking> {
    return new Promise<Booking>((resolve, reject) => this.enqueue({ request, resolve, reject }));
  }

  private enqueue(sale: QueuedSale): void {
    const { categoryId } = sale.request;
    const queue = this.waiting.get(categoryId);
    if (queue) {
      queue.push(sale);
      return;
    }
    this.waiting.set(categoryId, []);
    void this.drain(categoryId, [sale]);
  }

  private async drain(categoryId: number, first: QueuedSale[]): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      await this.settle(batch);
      const queue = this.waiting.get(categoryId) ?? [];
      batch = queue.splice(0, MAX_BATCH);
    }
    this.waiting.delete(categoryId);
  }

  /** Gives every request of the batch its own answer; never throws. */
  private async settle(batch: QueuedSale[]): Promise<void> {
    if (batch.length === 1) return this.settleAlone(batch[0]);
    let outcomes: (Booking | DomainError)[];
    try {
      outcomes = await this.transactions.sellTogether(batch.map((sale) => sale.request));
    } catch (error) {
      // A busy category is every request's answer; any other failure may be one request's doing,
      // so each is tried again on its own and gets only its own error.
      if (error instanceof BusyTryAgainError) {
        for (const sale of batch) sale.reject(new BusyTryAgainError());
        return;
      }
      await Promise.all(batch.map((sale) => this.settleAlone(sale)));
      return;
    }
    batch.forEach((sale, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof DomainError) sale.reject(outcome);
      else sale.resolve(outcome);
    });
  }

  private async settleAlone(sale: QueuedSale): Promise<void> {
    try {
      sale.resolve(await this.transactions.sellAlone(sale.request));
    } catch (error) {
      sale.reject(error);
    }
  }
}
