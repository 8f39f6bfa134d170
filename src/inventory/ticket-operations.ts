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
  const { insert, inserted } = announcedIfChanged(tx.dataSource, news({ ...ticket, checkedInAt: at }), at);
  void tx.write(checkInTicket.statement(tx.dataSource, { at, eventId: ticket.eventId, code: ticket.code, valid: STATUS.valid }));
  void tx.write(insert);
  const changed = tx.write(inserted) as Promise<Record<string, unknown>[]>;
  return { admitted: changed.then(([row]) => Number(row?.changed) === 1) };
}
