import { SeatsAvailableError } from '../common/domain-error.js';
import { generateReference } from '../common/reference.js';
import { insertedId } from '../database/multi-row-insert.js';
import { CodeUseChanges } from './code-uses.js';
import { freeOverdueSeatsIfShort, lockCategories, lockOpenCategories, releaseHold } from './ledger-operations.js';
import type { LedgerTransaction } from './ledger-transaction.js';
import type { WaitlistRequest, WaitlistPlace } from './seat-ledger.js';
import { seatsLeft, type TicketCategory } from './ticket-category.entity.js';
import { WaitlistEntry, WaitlistStatus } from './waitlist-entry.entity.js';
import type { WaitlistTerms } from './waitlist-offers.js';
import { entryById, holdByReference, insertEntry, markEntry, positionOf, WAITLIST, waitlistEntryFromRow } from './waitlist-statements.js';

/**
 * Joins the category's waiting list under its lock, so no seat can be freed between the check and
 * the entry (a freed seat is offered in the transaction that frees it, to the entries there are
 * then). Overdue holds are expired first, and go to those already waiting; if enough seats are
 * left after that, the buyer books instead.
 */
export async function joinWaitlist(tx: LedgerTransaction, request: WaitlistRequest, waitlist: WaitlistTerms): Promise<WaitlistPlace> {
  const category = (await lockOpenCategories(tx, [request.categoryId])).get(request.categoryId) as TicketCategory;
  const now = new Date();
  const codes = new CodeUseChanges();
  await freeOverdueSeatsIfShort(tx, category, request.quantity, now, codes, waitlist);
  codes.write(tx);
  const available = seatsLeft(category);
  if (available >= request.quantity) throw new SeatsAvailableError(category.name, available);
  const entry = Object.assign(new WaitlistEntry(), {
    reference: generateReference(),
    eventId: request.eventId,
    ticketCategoryId: category.id,
    quantity: request.quantity,
    customerEmail: request.customerEmail,
    customerName: request.customerName,
    status: WaitlistStatus.Waiting,
    holdReference: null,
    offerExpiresAt: null,
    createdAt: now,
  });
  entry.id = insertedId(await tx.rows(insertEntry.statement(tx.dataSource, [entry])));
  const [row] = await tx.rows(positionOf.statement(tx.dataSource, { categoryId: category.id, waiting: WAITLIST.waiting, id: entry.id }));
  return { entry, position: Number(row?.position ?? 1) };
}

/**
 * Takes the entry out of line. An outstanding offer is let go as if its hold were released: the
 * seats go to the next in line at once. Answers the entry as it stands now; one converted or
 * expired stays as it was.
 */
export async function withdrawFromWaitlist(tx: LedgerTransaction, entryId: number, categoryId: number, waitlist: WaitlistTerms): Promise<WaitlistEntry> {
  await lockCategories(tx, [categoryId]);
  const [row] = await tx.rows(entryById.statement(tx.dataSource, { id: entryId }));
  if (!row) throw new Error(`Waiting-list entry ${entryId} vanished while it was being withdrawn`);
  const entry = waitlistEntryFromRow(row);
  if (entry.status === WaitlistStatus.Waiting) {
    void tx.write(markEntry.statement(tx.dataSource, { id: entry.id, from: WAITLIST.waiting, to: WAITLIST.withdrawn }));
    return Object.assign(entry, { status: WaitlistStatus.Withdrawn });
  }
  if (entry.status !== WaitlistStatus.Offered || entry.holdReference === null) return entry;
  const [hold] = await tx.rows(holdByReference.statement(tx.dataSource, { reference: entry.holdReference }));
  if (hold) await releaseHold(tx, { id: Number(hold.hold_id), reference: entry.holdReference, codeId: null }, waitlist);
  else void tx.write(markEntry.statement(tx.dataSource, { id: entry.id, from: WAITLIST.offered, to: WAITLIST.withdrawn }));
  return Object.assign(entry, { status: WaitlistStatus.Withdrawn });
}
