import type { DataSource } from 'typeorm';
import type { DomainError } from '../../common/domain-error.js';
import type { TransactionRunner } from '../../database/transaction-runner.js';
import type { Booking } from '../booking.entity.js';
import { changeSeats, completed, freeOverdueSeatsIfShort, lockOpenCategory, newBooking, sellOnLockedRow } from '../ledger-operations.js';
import { bookingIdsByReference, insertBookings } from '../ledger-statements.js';
import type { LedgerTransaction } from '../ledger-transaction.js';
import type { SeatRequest } from '../seat-ledger.js';
import { allocateInArrivalOrder } from '../seat-rules.js';
import { TransactionalLedger } from '../transactional-ledger.js';
import { BoundedSale, NobodyWaiting } from './bounded-sale.js';
import { SaleCoalescer } from './sale-coalescer.js';
import { StatementPipeline, type MysqlConnection } from './statement-pipeline.js';

/**
 * The seat ledger on MySQL/MariaDB: row locks (SELECT … FOR UPDATE), each buyer's transaction
 * pipelined into two round trips (see StatementPipeline), and — with BOOKING_COALESCING=on —
 * bookings of one category that arrive together sold in one transaction (see SaleCoalescer).
 * Both come from the profiles in BENCHMARKS.md: on a hot category the time its row stays locked
 * is the limit, not CPU.
 */
export class MysqlSeatLedger extends TransactionalLedger {
  protected readonly locksRows = true;
  private readonly sales: SaleCoalescer | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    coalescing: boolean,
    /** LOCK_WAIT_TIMEOUT_SECONDS: the longest a buyer waits for a locked category, counted from arrival. */
    private readonly lockWaitBoundMs: number,
  ) {
    super();
    this.sales = coalescing ? new SaleCoalescer({ sellAlone: (sale) => this.sellAlone(sale), sellTogether: (sales) => this.sellTogether(sales) }) : undefined;
  }

  override book(request: SeatRequest): Promise<Booking> {
    const sale = new BoundedSale(request, this.lockWaitBoundMs);
    if (this.sales) return this.sales.sell(sale);
    this.sellAlone(sale).then(
      (booking) => sale.resolve(booking),
      (error: unknown) => {
        if (!(error instanceof NobodyWaiting)) sale.reject(error);
      },
    );
    return sale.answer;
  }

  private async sellAlone(sale: BoundedSale): Promise<Booking> {
    const pending = await this.inTransaction(async (tx) => {
      const locked = await lockOpenCategory(tx, sale.request.categoryId);
      if (!sale.claim()) throw new NobodyWaiting();
      return sellOnLockedRow(tx, locked, sale.request);
    });
    return completed(pending);
  }

  /**
   * One transaction for a batch of one category: lock once, expire overdue holds once if short,
   * allocate in arrival order; then one UPDATE of the counters, one multi-row INSERT and the read
   * of the new ids, sent with the commit. Answers go out only after the commit.
   */
  private async sellTogether(sales: BoundedSale[]): Promise<(Booking | DomainError | undefined)[]> {
    let claimed: boolean[] = [];
    const { refusals, bookings, ids } = await this.inTransaction(async (tx) => {
      const locked = await lockOpenCategory(tx, sales[0].request.categoryId);
      claimed = sales.map((sale) => sale.claim());
      const requests = sales.filter((_, i) => claimed[i]).map((sale) => sale.request);
      if (requests.length === 0) throw new NobodyWaiting();
      const quantities = requests.map((request) => request.quantity);
      await freeOverdueSeatsIfShort(tx, locked, sum(quantities), new Date());
      const refusals = allocateInArrivalOrder(locked, quantities);
      const accepted = requests.filter((_, i) => refusals[i] === undefined);
      if (accepted.length === 0) return { refusals, bookings: [], ids: Promise.resolve([]) };
      changeSeats(tx, locked, { sold: sum(accepted.map((request) => request.quantity)) });
      const bookings = accepted.map((request) => newBooking(locked, request));
      void tx.write(insertBookings.statement(this.dataSource, bookings));
      const references = bookings.map((booking) => booking.reference);
      return { refusals, bookings, ids: tx.write(bookingIdsByReference.statement(this.dataSource, { references })) };
    });
    const idOf = new Map(((await ids) as Record<string, unknown>[]).map((row) => [String(row.booking_reference), Number(row.booking_id)]));
    for (const booking of bookings) booking.id = idOf.get(booking.reference) as number;
    let nextRefusal = 0;
    let nextBooking = 0;
    return sales.map((_, i) => {
      if (!claimed[i]) return undefined;
      return refusals[nextRefusal++] ?? bookings[nextBooking++];
    });
  }

  /** A transaction on a pooled connection, its statements pipelined; deadlocks retried, lock waits bounded. */
  protected inTransaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    return this.transactions.retryingDeadlocks(() =>
      this.transactions.onMysqlConnection(async (_runner, connection) => {
        const pipeline = new StatementPipeline(this.dataSource, connection as MysqlConnection);
        try {
          const outcome = await work(pipeline);
          await pipeline.commit();
          return outcome;
        } catch (error) {
          // The work's own error is the answer; a connection too broken to roll back is dropped by the pool.
          await pipeline.rollback().catch(() => undefined);
          throw error;
        }
      }),
    );
  }
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
