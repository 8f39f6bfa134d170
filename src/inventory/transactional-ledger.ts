import type { EntityManager } from 'typeorm';
import type { Announcement, BookingAnnouncement } from '../outbox/announcements.js';
import type { Booking } from './booking.entity.js';
import type { Hold } from './hold.entity.js';
import { closeSales, changeTerms, completed, confirmHold, expireOverdue, holdSeats, releaseHold, returnSeats, sellOrder } from './ledger-operations.js';
import { ManagerTransaction, type LedgerTransaction } from './ledger-transaction.js';
import type { CategoryTerms, ConfirmedHold, HeldOrder, HoldOrder, OrderNews, Sale, SeatLedger, SeatOrder, WaitlistPlace, WaitlistRequest } from './seat-ledger.js';
import type { Ticket } from './ticket.entity.js';
import { admitTicket } from './ticket-operations.js';
import type { WaitlistEntry } from './waitlist-entry.entity.js';
import type { WaitlistTerms } from './waitlist-offers.js';
import { joinWaitlist, withdrawFromWaitlist } from './waitlist-operations.js';

/**
 * The port on the ledger's operations (ledger-operations.ts), written once: an adapter says only
 * how one of its own transactions runs, and whether it locks rows.
 */
export abstract class TransactionalLedger implements SeatLedger {
  protected abstract readonly locksRows: boolean;

  constructor(protected readonly waitlist: WaitlistTerms) {}

  protected abstract inTransaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T>;

  async book(order: SeatOrder, news: OrderNews<Sale, BookingAnnouncement>): Promise<Sale> {
    return completed(await this.inTransaction((tx) => sellOrder(tx, order, news, this.waitlist)));
  }

  hold(order: HoldOrder, news: OrderNews<HeldOrder>): Promise<HeldOrder> {
    return this.inTransaction((tx) => holdSeats(tx, order, news, this.waitlist));
  }

  confirmHold(hold: Hold, news: (sale: Sale) => Announcement): Promise<ConfirmedHold> {
    return this.inTransaction((tx) => confirmHold(tx, hold, news));
  }

  releaseHold(hold: Hold): Promise<void> {
    return this.inTransaction((tx) => releaseHold(tx, hold, this.waitlist));
  }

  returnSeats(booking: Booking, news: (cancelled: Booking, tickets: Ticket[]) => Announcement): Promise<Booking> {
    return this.inTransaction((tx) => returnSeats(tx, booking, news, this.waitlist));
  }

  expireOverdue(categoryId: number, now: Date): Promise<number> {
    return this.inTransaction((tx) => expireOverdue(tx, categoryId, now, this.waitlist));
  }

  /** In the caller's transaction; its writes have all run (or failed it) once this settles. */
  async changeTerms(manager: EntityManager, changes: CategoryTerms[], now: Date): Promise<void> {
    await ManagerTransaction.run(manager, this.locksRows, (tx) => changeTerms(tx, changes, now, this.waitlist));
  }

  async closeSales(manager: EntityManager, eventId: number, categoryIds: number[], now: Date): Promise<void> {
    await ManagerTransaction.run(manager, this.locksRows, (tx) => closeSales(tx, eventId, categoryIds, now));
  }

  async checkIn(ticket: Ticket, at: Date, news: (admitted: Ticket) => Announcement): Promise<boolean> {
    const { admitted } = await this.inTransaction((tx) => Promise.resolve(admitTicket(tx, ticket, at, news)));
    return admitted;
  }

  joinWaitlist(request: WaitlistRequest): Promise<WaitlistPlace> {
    return this.inTransaction((tx) => joinWaitlist(tx, request, this.waitlist));
  }

  withdrawFromWaitlist(entry: WaitlistEntry): Promise<WaitlistEntry> {
    return this.inTransaction((tx) => withdrawFromWaitlist(tx, entry.id, entry.ticketCategoryId, this.waitlist));
  }
}
