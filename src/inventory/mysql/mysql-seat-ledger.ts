import type { DataSource } from 'typeorm';
import type { DomainError } from '../../common/domain-error.js';
import type { TransactionRunner } from '../../database/transaction-runner.js';
import { generateReference } from '../../common/reference.js';
import { executed, type PreparingConnection } from '../../database/built-query.js';
import { CodeUseChanges } from '../code-uses.js';
import { announceSoldOut, completed, freeOverdueSeatsIfShort, lockForSale, newBooking, pricedLines, sellOnLockedRows, soldOutBy, ticketsFor } from '../ledger-operations.js';
import { bookingMessagesStatement, type Announcement, type BookingAnnouncement } from '../../outbox/announcements.js';
import { bookingIdsByReference, insertBookings, insertLines, insertTickets } from '../ledger-statements.js';
import type { LedgerTransaction } from '../ledger-transaction.js';
import { LineState } from '../order-line.entity.js';
import { changeSeats } from '../seat-counters.js';
import type { OrderNews, Sale, SeatOrder } from '../seat-ledger.js';
import type { TicketCategory } from '../ticket-category.entity.js';
import type { Ticket } from '../ticket.entity.js';
import { unannouncedCheckIn } from '../ticket-operations.js';
import { allocateInArrivalOrder } from '../seat-rules.js';
import { TransactionalLedger } from '../transactional-ledger.js';
import type { WaitlistTerms } from '../waitlist-offers.js';
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
    waitlist: WaitlistTerms,
  ) {
    super(waitlist);
    this.sales = coalescing ? new SaleCoalescer({ sellAlone: (sale) => this.sellAlone(sale), sellTogether: (sales) => this.sellTogether(sales) }) : undefined;
  }

  override book(order: SeatOrder, news: OrderNews<Sale, BookingAnnouncement>): Promise<Sale> {
    const sale = new BoundedSale(order, news, this.lockWaitBoundMs);
    // An order with a code runs alone: a batch shares one category's lock, and its buyers' codes
    // would each need their own lock, check and count inside it.
    if (this.sales && order.lines.length === 1 && order.code === undefined) return this.sales.sell(sale);
    this.sellAlone(sale).then(
      (sold) => sale.resolve(sold),
      (error: unknown) => {
        if (!(error instanceof NobodyWaiting)) sale.reject(error);
      },
    );
    return sale.answer;
  }

  private async sellAlone(sale: BoundedSale): Promise<Sale> {
    const pending = await this.inTransaction(async (tx) => {
      const locks = await lockForSale(tx, sale.request.eventId, sale.request.lines.map((line) => line.categoryId));
      if (!sale.claim()) throw new NobodyWaiting();
      return sellOnLockedRows(tx, locks, sale.request, sale.news, this.waitlist);
    });
    return completed(pending);
  }

  /**
   * One transaction for a batch of one-category bookings of one category: lock once, expire overdue
   * holds once if short, allocate in arrival order; then one UPDATE of the counters and one
   * multi-row INSERT each of bookings, lines and tickets, and the read of the new ids, sent with
   * the commit. Answers go out only after the commit.
   */
  private async sellTogether(sales: BoundedSale[]): Promise<(Sale | DomainError | undefined)[]> {
    let claimed: boolean[] = [];
    const { refusals, sold, ids } = await this.inTransaction(async (tx) => {
      const { eventId, lines: [{ categoryId }] } = sales[0].request;
      const { locked, listening } = await lockForSale(tx, eventId, [categoryId]);
      const category = locked.get(categoryId) as TicketCategory;
      claimed = sales.map((sale) => sale.claim());
      const waiting = sales.filter((_, i) => claimed[i]);
      const orders = waiting.map((sale) => sale.request);
      if (orders.length === 0) throw new NobodyWaiting();
      const quantities = orders.map((order) => order.lines[0].quantity);
      const codes = new CodeUseChanges();
      await freeOverdueSeatsIfShort(tx, category, sum(quantities), new Date(), codes, this.waitlist);
      codes.write(tx);
      const refusals = allocateInArrivalOrder(category, quantities);
      const accepted = waiting.filter((_, i) => refusals[i] === undefined);
      if (accepted.length === 0) return { refusals, sold: [], ids: Promise.resolve([]) };
      changeSeats(tx, category, { sold: sum(accepted.map(({ request }) => request.lines[0].quantity)) });
      const sold = accepted.map(({ request }): Sale => {
        const reference = generateReference();
        const lines = pricedLines(request, locked, reference, LineState.Sold);
        return { booking: newBooking(request, lines, reference), lines, tickets: ticketsFor(reference, request.eventId, request.lines) };
      });
      void tx.write(insertBookings.statement(this.dataSource, sold.map((sale) => sale.booking)));
      void tx.write(insertLines.statement(this.dataSource, sold.flatMap((sale) => sale.lines)));
      void tx.write(insertTickets.statement(this.dataSource, sold.flatMap((sale) => sale.tickets)));
      if (listening) void tx.write(bookingMessagesStatement(this.dataSource, sold.map((sale, i) => accepted[i].news.written(sale))));
      announceSoldOut(tx, soldOutBy([category]), accepted[0].news);
      const references = sold.map((sale) => sale.booking.reference);
      return { refusals, sold, ids: tx.write(bookingIdsByReference.statement(this.dataSource, { references })) };
    });
    const idOf = new Map(((await ids) as Record<string, unknown>[]).map((row) => [String(row.booking_reference), Number(row.booking_id)]));
    for (const { booking } of sold) booking.id = idOf.get(booking.reference) as number;
    let nextRefusal = 0;
    let nextSale = 0;
    return sales.map((_, i) => {
      if (!claimed[i]) return undefined;
      return refusals[nextRefusal++] ?? sold[nextSale++];
    });
  }

  /**
   * At the door nobody listens, mostly: then one prepared UPDATE admits the ticket on its own, with
   * no transaction around it and no announcement rendered (BENCHMARKS.md, change 24). Where somebody
   * listens it changes nothing, and the check-in runs again, in a transaction with its announcement.
   */
  override async checkIn(ticket: Ticket, at: Date, news: (admitted: Ticket) => Announcement): Promise<boolean> {
    const [sql, values] = unannouncedCheckIn(this.dataSource, ticket, at);
    const result = await this.transactions.retryingDeadlocks(() =>
      this.transactions.onMysqlConnection((_runner, connection) => executed(connection as PreparingConnection, sql, values)),
    );
    return (result as { affectedRows: number }).affectedRows === 1 || super.checkIn(ticket, at, news);
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
