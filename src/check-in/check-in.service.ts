import { Injectable } from '@nestjs/common';
import { AlreadyCheckedInError, EventCancelledError, TicketCancelledError, TicketNotFoundError } from '../common/domain-error.js';
import { isTicketCode } from '../common/ticket-code.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventStatus, type Event } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { TicketStatus, type Ticket } from '../inventory/ticket.entity.js';
import { messagesStatement } from '../outbox/announcements.js';
import { mapTicketDetails } from '../tickets/ticket-details.mapper.js';
import { CheckInsRepository, type CategoryCheckIns } from './check-ins.repository.js';

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
  ) {}

  async checkIn(eventId: number, code: string): Promise<CheckIn> {
    const event = await this.openEvent(eventId);
    const at = new Date();
    // The UPDATE decides alone; the read after it only says why a scan was not the one admitted.
    // They share a transaction with the announcement of the admission, so a check-in is never unannounced.
    const ticket = await this.transactions.run(async (manager) => {
      const admitted = isTicketCode(code) && (await this.checkIns.markCheckedIn(manager, eventId, code, at));
      const current = isTicketCode(code) ? await this.checkIns.findInEvent(manager, eventId, code) : null;
      if (!current) throw new TicketNotFoundError();
      if (admitted) {
        await manager.query(...messagesStatement(manager.connection, [{ type: 'ticket.checked_in', eventId, data: mapTicketDetails({ ticket: current, event }) }], at));
        return current;
      }
      if (current.status === TicketStatus.Cancelled) throw new TicketCancelledError();
      throw new AlreadyCheckedInError(current.checkedInAt as Date);
    });
    return { ticket, event };
  }

  async undo(eventId: number, code: string): Promise<void> {
    await this.openEvent(eventId);
    const found = isTicketCode(code) && (await this.transactions.runStatements((manager) => this.checkIns.clearCheckIn(manager, eventId, code)));
    if (!found) throw new TicketNotFoundError();
  }

  async summary(eventId: number): Promise<CheckInSummary> {
    const event = await this.events.findOne(eventId);
    return { event, byCategory: await this.checkIns.summary(eventId) };
  }

  /** At a cancelled event nobody is checked in, whatever the ticket. */
  private async openEvent(eventId: number): Promise<Event> {
    const event = await this.events.findOne(eventId);
    if (event.status === EventStatus.Cancelled) throw new EventCancelledError(eventId);
    return event;
  }
}
