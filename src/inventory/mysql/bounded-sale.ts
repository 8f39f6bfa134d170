import { BusyTryAgainError } from '../../common/domain-error.js';
import type { BookingAnnouncement } from '../../outbox/announcements.js';
import type { OrderNews, Sale, SeatOrder } from '../seat-ledger.js';

/**
 * A buyer's booking with the lock-wait bound as a promise kept from its arrival: if no transaction
 * has the category's lock for it when the bound is spent — waiting for a pooled connection, for a
 * batch ahead of it, or for the lock itself — it is answered 503 BUSY_TRY_AGAIN then, and any
 * transaction that gets the lock afterwards leaves it out.
 */
export class BoundedSale {
  readonly answer: Promise<Sale>;
  private state: 'waiting' | 'claimed' | 'answered' = 'waiting';
  private resolveAnswer!: (sale: Sale) => void;
  private rejectAnswer!: (error: unknown) => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly request: SeatOrder,
    readonly news: OrderNews<Sale, BookingAnnouncement>,
    boundMs: number,
  ) {
    this.answer = new Promise<Sale>((resolve, reject) => {
      this.resolveAnswer = resolve;
      this.rejectAnswer = reject;
    });
    this.timer = setTimeout(() => {
      if (this.state === 'waiting') this.reject(new BusyTryAgainError());
    }, boundMs);
  }

  /**
   * True when the buyer has not been answered yet: taken under the category's lock, it now gets
   * this transaction's answer (also when a deadlock makes the transaction run again).
   */
  claim(): boolean {
    if (this.state === 'answered') return false;
    this.state = 'claimed';
    clearTimeout(this.timer);
    return true;
  }

  get answered(): boolean {
    return this.state === 'answered';
  }

  resolve(sale: Sale): void {
    this.settle(() => this.resolveAnswer(sale));
  }

  reject(error: unknown): void {
    this.settle(() => this.rejectAnswer(error));
  }

  private settle(answer: () => void): void {
    if (this.state === 'answered') return;
    this.state = 'answered';
    clearTimeout(this.timer);
    answer();
  }
}

/** Thrown inside a transaction whose every buyer was answered before it got the lock: it rolls back, writing nothing. */
export class NobodyWaiting extends Error {
  constructor() {
    super('Every buyer of this transaction was answered before it got the lock');
  }
}
