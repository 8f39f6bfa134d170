import type { DataSource } from 'typeorm';
import type { DomainError } from '../../common/domain-error.js';
import type { TransactionRunner } from '../../database/transaction-runner.js';
import type { Booking } from '../booking.entity.js';
import { changeSeats, freeOverdueSeatsIfShort, lockOpenCategory, newBooking } from '../ledger-operations.js';
import { bookingIdsByReference, insertBookings } from '../ledger-statements.js';
import type { LedgerTransaction } from '../ledger-transaction.js';
import type { SeatRequest } from '../seat-ledger.js';
import { allocateInArrivalOrder } from '../seat-rules.js';
import { TransactionalLedger } from '../transactional-ledger.js';
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
  ) {
    super();
    this.sales = coalescing ? new SaleCoalescer({ sellAlone: (request) => super.book(request), sellTogether: (requests) => this.sellTogether(requests) }) : undefined;
  }

  override book(request: SeatRequest): Promise<Booking> {
    return this.sales ? this.sales.sell(request) : super.book(request);
  }

  /**
   * One transaction for a batch of one category: lock once, expire overdue holds once if short,
   * allocate in arrival order; then one UPDATE of the counters, one multi-row INSERT and the read
   * of the new ids, sent with the commit. Answers go out only after the commit.
   */
  private async sellTogether(requests: SeatRequest[]): Promise<(Booking | DomainError)[]> {
    const { refusals, bookings, ids } = await this.inTransaction(async (tx) => {
      const locked = await lockOpenCategory(tx, requests[0].categoryId);
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
    let next = 0;
    return refusals.map((refusal) => refusal ?? bookings[next++]);
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
