import { Inject, Injectable } from '@nestjs/common';
import { AlreadyCheckedInError, BusyTryAgainError, EventCancelledError, TicketCancelledError, TicketNotFoundError } from '../common/domain-error.js';
import { isTicketCode } from '../common/ticket-code.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { SEAT_LEDGER, type SeatLedger } from '../inventory/seat-ledger.js';
import { EventStatus, type Event } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { TicketStatus, type Ticket } from '../inventory/ticket.entity.js';
import { mapTicketDetails } from '../tickets/ticket-details.mapper.js';
import { CheckInsRepository, type CategoryCheckIns } from './check-ins.repository.js';

/** A scan whose ticket keeps being checked in and undone by others gives up after this many tries. */
const MAX_CHECK_IN_ATTEMPTS = 3;

export interface CheckIn {
  ticket: Ticket;
  event: Event;
}

export interface CheckInSummary {
  event: Event;
  byCategory: CategoryCheckIns[];
}

/**
 * A ticket gets in once. The check-in is one conditional UPDATE in the database, so however many
 * scanners on however many instances send the same code at once, exactly one of them matches it
 * (and announces it); the others read why not.
 */
@Injectable()
export class CheckInService {
  constructor(
    private readonly checkIns: CheckInsRepository,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
    @Inject(SEAT_LEDGER) private readonly ledger: SeatLedger,
  ) {}

  /**
   * The ticket is read first, with its event, to answer a scan that cannot get in at once and to
   * render the announcement of one that can; the ledger's conditional UPDATE then decides. A scan
   * that lost the race to another reads the ticket again, which says why; one that finds it
   * admissible again (its check-in was undone meanwhile) tries again, a few times at most.
   */
  async checkIn(eventId: number, code: string): Promise<CheckIn> {
    const { event, ticket: first } = await this.events.findOneWithTicket(eventId, code);
    open(event);
    let found = first;
    for (let attempt = 1; attempt <= MAX_CHECK_IN_ATTEMPTS; attempt++) {
      const ticket = admissible(found);
      const at = new Date();
      const admitted = await this.ledger.checkIn(ticket, at, (checkedIn) => ({ type: 'ticket.checked_in', eventId, data: mapTicketDetails({ ticket: checkedIn, event }) }));
      if (admitted) return { ticket: Object.assign(ticket, { checkedInAt: at }), event };
      found = await this.checkIns.findInEvent(eventId, code);
    }
    throw new BusyTryAgainError();
  }

  async undo(eventId: number, code: string): Promise<void> {
    open(await this.events.findOne(eventId));
    const found = isTicketCode(code) && (await this.transactions.runStatements((manager) => this.checkIns.clearCheckIn(manager, eventId, code)));
    if (!found) throw new TicketNotFoundError();
  }

  async summary(eventId: number): Promise<CheckInSummary> {
    const event = await this.events.findOne(eventId);
    return { event, byCategory: await this.checkIns.summary(eventId) };
  }
}

/** At a cancelled event nobody is checked in, whatever the ticket. */
function open(event: Event): Event {
  if (event.status === EventStatus.Cancelled) throw new EventCancelledError(event.id);
  return event;
}

/** The ticket, if it could be admitted now; otherwise why not. */
function admissible(ticket: Ticket | null): Ticket {
  if (!ticket) throw new TicketNotFoundError();
  if (ticket.status === TicketStatus.Cancelled) throw new TicketCancelledError();
  if (ticket.checkedInAt !== null) throw new AlreadyCheckedInError(ticket.checkedInAt);
  return ticket;
}
