import type { EntityManager } from 'typeorm';
import type { Booking } from './booking.entity.js';
import type { Hold } from './hold.entity.js';
import type { Announcement, BookingAnnouncement } from '../outbox/announcements.js';
import type { SeatChanges } from './seat-changes.js';
import type { Ticket } from './ticket.entity.js';
import type { CategoryTerms, ConfirmedHold, HeldOrder, HoldOrder, OrderNews, Sale, SeatLedger, SeatOrder, WaitlistPlace, WaitlistRequest } from './seat-ledger.js';
import type { WaitlistEntry } from './waitlist-entry.entity.js';

/**
 * The ledger features are given: the adapter's, announcing (SeatChanges) the event of each
 * operation that runs a transaction of its own once that transaction has ended, successful or not
 * (a failure can follow a commit the connection could not confirm). A new operation of the port
 * must be added here, and must say what it announces.
 */
export class AnnouncingLedger implements SeatLedger {
  constructor(
    private readonly ledger: SeatLedger,
    private readonly changes: SeatChanges,
  ) {}

  book(order: SeatOrder, news: OrderNews<Sale, BookingAnnouncement>): Promise<Sale> {
    return this.announcing(order.eventId, this.ledger.book(order, news));
  }

  hold(order: HoldOrder, news: OrderNews<HeldOrder>): Promise<HeldOrder> {
    return this.announcing(order.eventId, this.ledger.hold(order, news));
  }

  confirmHold(hold: Hold, news: (sale: Sale) => Announcement): Promise<ConfirmedHold> {
    return this.announcing(hold.eventId, this.ledger.confirmHold(hold, news));
  }

  releaseHold(hold: Hold): Promise<void> {
    return this.announcing(hold.eventId, this.ledger.releaseHold(hold));
  }

  returnSeats(booking: Booking, news: (cancelled: Booking, tickets: Ticket[]) => Announcement): Promise<Booking> {
    return this.announcing(booking.eventId, this.ledger.returnSeats(booking, news));
  }

  /**
   * Announces nothing: availability is published without the holds that have expired, whether the
   * sweep has returned their seats to the counters yet or not, so the sweep changes no answer.
   */
  expireOverdue(categoryId: number, now: Date): Promise<number> {
    return this.ledger.expireOverdue(categoryId, now);
  }

  /** Runs in the caller's transaction, which has not committed yet: the caller announces its change (EventsService). */
  changeTerms(manager: EntityManager, changes: CategoryTerms[], now: Date): Promise<void> {
    return this.ledger.changeTerms(manager, changes, now);
  }

  /** Runs in the caller's transaction, which has not committed yet: the caller announces its change (EventsService). */
  closeSales(manager: EntityManager, eventId: number, categoryIds: number[], now: Date): Promise<void> {
    return this.ledger.closeSales(manager, eventId, categoryIds, now);
  }

  /** A check-in changes no seat and nothing an event's answer shows. */
  checkIn(ticket: Ticket, at: Date, news: (admitted: Ticket) => Announcement): Promise<boolean> {
    return this.ledger.checkIn(ticket, at, news);
  }

  /** Joining changes no count; it may expire overdue holds, whose seats go to those already waiting. */
  joinWaitlist(request: WaitlistRequest): Promise<WaitlistPlace> {
    return this.announcing(request.eventId, this.ledger.joinWaitlist(request));
  }

  withdrawFromWaitlist(entry: WaitlistEntry): Promise<WaitlistEntry> {
    return this.announcing(entry.eventId, this.ledger.withdrawFromWaitlist(entry));
  }

  private async announcing<T>(eventId: number, operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } finally {
      this.changes.announce(eventId);
    }
  }
}
