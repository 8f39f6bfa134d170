import type { DataSource } from 'typeorm';
import type { Statement } from '../database/built-query.js';
import { announcedIfChanged, nobodyListens, type Announcement } from '../outbox/announcements.js';
import { checkInTicket, STATUS } from './ledger-statements.js';
import type { LedgerTransaction } from './ledger-transaction.js';
import type { Ticket } from './ticket.entity.js';

/** Whether a check-in admitted its ticket, known once its transaction has ended. */
export interface PendingCheckIn {
  admitted: Promise<boolean>;
}

/**
 * One conditional UPDATE decides, so however many scanners send the same code at once, exactly one
 * matches; its announcement is written only if it matched. No statement needs an answer before the
 * commit, so on MySQL the whole transaction is one round trip.
 */
export function admitTicket(tx: LedgerTransaction, ticket: Ticket, at: Date, news: (admitted: Ticket) => Announcement): PendingCheckIn {
  const admitted = tx.changed(checkInTicket.statement(tx.dataSource, admission(ticket, at))).then((rows) => rows === 1);
  // A transaction that fails answers its own error, and nobody then awaits this promise.
  admitted.catch(() => undefined);
  void tx.write(announcedIfChanged(tx.dataSource, news({ ...ticket, checkedInAt: at }), at));
  return { admitted };
}

/**
 * The check-in's UPDATE, made to change nothing while somebody listens to the event: a ticket it
 * admits owed no announcement, so it needs no transaction around it. Its subquery reads the event's
 * row in share mode on MySQL (nobodyListens), so a webhook being made active for the organiser
 * (WebhooksRepository.waitForUnheardWrites) waits for it to commit, or is read by it.
 */
export function unannouncedCheckIn(dataSource: DataSource, ticket: Ticket, at: Date): Statement {
  const [admit, admitValues] = checkInTicket.statement(dataSource, admission(ticket, at));
  const [unheard, unheardValues] = nobodyListens(dataSource, ticket.eventId);
  return [`${admit} AND ${unheard}`, [...admitValues, ...unheardValues]];
}

function admission(ticket: Ticket, at: Date): Record<string, unknown> {
  return { at, eventId: ticket.eventId, code: ticket.code, valid: STATUS.valid };
}
