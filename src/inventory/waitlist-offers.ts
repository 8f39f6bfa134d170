import { generateReference } from '../common/reference.js';
import { messagesStatement, type Announcement } from '../outbox/announcements.js';
import { Hold, HoldStatus } from './hold.entity.js';
import { insertHold, insertLines } from './ledger-statements.js';
import type { LedgerTransaction } from './ledger-transaction.js';
import { LineState, OrderLine } from './order-line.entity.js';
import { changeSeats } from './seat-counters.js';
import { servedInArrivalOrder } from './seat-rules.js';
import { salesPhase, seatsLeft, type TicketCategory } from './ticket-category.entity.js';
import { WaitlistStatus, waitlistEntryJson, type WaitlistEntry } from './waitlist-entry.entity.js';
import { endOffersOfHolds, markOffered, offersOfHolds, WAITLIST, waitingThatFit, waitlistEntryFromRow } from './waitlist-statements.js';

/** How long an offer keeps its seats (WAITLIST_OFFER_TTL_SECONDS). */
export interface WaitlistTerms {
  offerTtlMs: number;
}

/**
 * Gives the locked category's free seats to its waiting entries, in the transaction that freed
 * them and under the same lock, so nobody else can take them in between: each entry that fits, in
 * arrival order, is offered a hold for its quantity at the category's price. Called by every
 * operation that frees seats, after its own changes to the counters.
 */
export async function offerFreeSeats(tx: LedgerTransaction, category: TicketCategory, now: Date, terms: WaitlistTerms): Promise<void> {
  // Nobody can buy after sales end, so no offer is made then either: the seats stay free.
  if (seatsLeft(category) <= 0 || category.salesClosed || salesPhase(category, now) === 'ended') return;
  const offered = await entriesServed(tx, category.id, seatsLeft(category));
  if (offered.length === 0) return;
  const expiresAt = new Date(now.getTime() + terms.offerTtlMs);
  const holds = offered.map((entry) => offerHold(entry, category, expiresAt, now));
  void tx.write(insertHold.statement(tx.dataSource, holds));
  void tx.write(insertLines.statement(tx.dataSource, holds.map((hold) => offerLine(hold, category))));
  offered.forEach((entry, i) => {
    Object.assign(entry, { status: WaitlistStatus.Offered, holdReference: holds[i].reference, offerExpiresAt: expiresAt });
    void tx.write(markOffered.statement(tx.dataSource, { id: entry.id, holdReference: entry.holdReference, expiresAt, offered: WAITLIST.offered, waiting: WAITLIST.waiting }));
  });
  changeSeats(tx, category, { held: holds.reduce((seats, hold) => seats + hold.quantity, 0) });
  void tx.write(messagesStatement(tx.dataSource, offered.map((entry) => announcement('waitlist.offered', entry, category.name)), now));
}

/**
 * The waiting entries `free` seats go to (servedInArrivalOrder), read in arrival order a page at a
 * time: only entries that fit what is still free, `free` of them at most, since each takes a seat.
 * An entry skipped as too large for what is left ends a page early, so the walk reads on after it
 * until the seats are gone or the line is.
 */
async function entriesServed(tx: LedgerTransaction, categoryId: number, free: number): Promise<WaitlistEntry[]> {
  const served: WaitlistEntry[] = [];
  let left = free;
  let afterId = 0;
  while (left > 0) {
    const limit = left;
    const [sql, values] = waitingThatFit.statement(tx.dataSource, { categoryId, waiting: WAITLIST.waiting, free: limit, afterId });
    const page = (await tx.rows([`${sql} LIMIT ?`, [...values, limit]])).map(waitlistEntryFromRow);
    const taken = servedInArrivalOrder(limit, page.map((entry) => entry.quantity)).map((i) => page[i]);
    served.push(...taken);
    left -= taken.reduce((seats, entry) => seats + entry.quantity, 0);
    // A short page is the end of the line; a full one starts with an entry that fits, so each page serves someone.
    if (page.length < limit) break;
    afterId = (page.at(-1) as WaitlistEntry).id;
  }
  return served;
}

/**
 * The offers these expired holds made: their entries expire, and each is announced. The seats
 * come back with the holds; the caller offers them on once its own changes are made.
 */
export async function expireOffers(tx: LedgerTransaction, category: TicketCategory, holdReferences: string[], now: Date): Promise<void> {
  if (holdReferences.length === 0) return;
  const offers = (await tx.rows(offersOfHolds.statement(tx.dataSource, { references: holdReferences, offered: WAITLIST.offered }))).map(waitlistEntryFromRow);
  if (offers.length === 0) return;
  void tx.write(endOffersOfHolds.statement(tx.dataSource, { references: holdReferences, offered: WAITLIST.offered, ended: WAITLIST.expired }));
  announceExpired(tx, offers, () => category.name, now);
}

/** Entries whose expiry the caller has just written, each announced as `waitlist.expired` with its category's name. */
export function announceExpired(tx: LedgerTransaction, entries: WaitlistEntry[], categoryNameOf: (entry: WaitlistEntry) => string, now: Date): void {
  const expired = entries.map((entry) => Object.assign(entry, { status: WaitlistStatus.Expired }));
  void tx.write(messagesStatement(tx.dataSource, expired.map((entry) => announcement('waitlist.expired', entry, categoryNameOf(entry))), now));
}

/** The hold's offer, if it made one, ends as converted (confirmed) or withdrawn (released). */
export function endOfferOfHold(tx: LedgerTransaction, holdReference: string, ended: WaitlistStatus.Converted | WaitlistStatus.Withdrawn): void {
  void tx.write(endOffersOfHolds.statement(tx.dataSource, { references: [holdReference], offered: WAITLIST.offered, ended }));
}

function announcement(type: 'waitlist.offered' | 'waitlist.expired', entry: WaitlistEntry, categoryName: string): Announcement {
  return { type, eventId: entry.eventId, data: waitlistEntryJson(entry, categoryName, null, true) };
}

function offerHold(entry: WaitlistEntry, category: TicketCategory, expiresAt: Date, now: Date): Hold {
  return Object.assign(new Hold(), {
    reference: generateReference(),
    status: HoldStatus.Active,
    eventId: entry.eventId,
    ticketCategoryId: category.id,
    quantity: entry.quantity,
    unitPriceCents: category.priceCents,
    totalPriceCents: category.priceCents * entry.quantity,
    customerName: entry.customerName,
    customerEmail: entry.customerEmail,
    createdAt: now,
    codeId: null,
    code: null,
    discountTotalCents: 0,
    expiresAt,
    bookingId: null,
  });
}

function offerLine(hold: Hold, category: TicketCategory): OrderLine {
  return Object.assign(new OrderLine(), {
    reference: hold.reference,
    eventId: hold.eventId,
    ticketCategoryId: category.id,
    position: 0,
    quantity: hold.quantity,
    unitPriceCents: category.priceCents,
    originalUnitPriceCents: category.priceCents,
    totalPriceCents: hold.totalPriceCents,
    attendeeNames: null,
    state: LineState.Held,
  });
}
