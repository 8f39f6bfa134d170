import { announcedIfChanged, type Announcement } from '../outbox/announcements.js';
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
  const admitted = tx.changed(checkInTicket.statement(tx.dataSource, { at, eventId: ticket.eventId, code: ticket.code, valid: STATUS.valid })).then((rows) => rows === 1);
  // A transaction that fails answers its own error, and nobody then awaits this promise.
  admitted.catch(() => undefined);
  void tx.write(announcedIfChanged(tx.dataSource, news({ ...ticket, checkedInAt: at }), at));
  return { admitted };
}
