import type { DataSource } from 'typeorm';
import { BuiltQuery } from '../database/built-query.js';
import { readDate, readNullableDate, readNullableString } from '../database/column-values.js';
import { MultiRowInsert } from '../database/multi-row-insert.js';
import { Hold } from './hold.entity.js';
import { WaitlistEntry, WaitlistStatus } from './waitlist-entry.entity.js';

/** The statements of waiting lists the seat ledger sends, like ledger-statements.ts: placeholders only. */

const entries = (dataSource: DataSource) => dataSource.getRepository(WaitlistEntry).createQueryBuilder('entry');

/** The category's waiting entries after `afterId` that could fit into `free` seats, in arrival order; the caller adds a LIMIT. */
export const waitingThatFit = new BuiltQuery((dataSource) =>
  entries(dataSource).where('entry.ticketCategoryId = :categoryId AND entry.status = :waiting AND entry.quantity <= :free AND entry.id > :afterId').orderBy('entry.id', 'ASC'),
);

/** An entry re-read under its category's lock. */
export const entryById = new BuiltQuery((dataSource) => entries(dataSource).where('entry.id = :id'));

/** The offers the holds made, still outstanding. */
export const offersOfHolds = new BuiltQuery((dataSource) =>
  entries(dataSource).where('entry.holdReference IN (:...references) AND entry.status = :offered').orderBy('entry.id', 'ASC'),
);

/** An event's entries still in line or holding an offer. */
export const openEntriesOfEvent = new BuiltQuery((dataSource) =>
  entries(dataSource).where('entry.eventId = :eventId AND entry.status IN (:waiting, :offered)').orderBy('entry.id', 'ASC'),
);

/** The entry's place among those waiting in its category: 1 for the first. */
export const positionOf = new BuiltQuery((dataSource) =>
  entries(dataSource).select('COUNT(*)', 'position').where('entry.ticketCategoryId = :categoryId AND entry.status = :waiting AND entry.id <= :id'),
);

export const insertEntry = new MultiRowInsert(WaitlistEntry, ['reference', 'eventId', 'ticketCategoryId', 'quantity', 'customerEmail', 'customerName', 'status', 'holdReference', 'offerExpiresAt', 'createdAt']);

export const markOffered = new BuiltQuery((dataSource) =>
  dataSource
    .createQueryBuilder()
    .update(WaitlistEntry)
    .set({ status: () => ':offered', holdReference: () => ':holdReference', offerExpiresAt: () => ':expiresAt' })
    .where('id = :id AND status = :waiting'),
);

/** Ends the offers of the holds: converted, expired or withdrawn. */
export const endOffersOfHolds = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(WaitlistEntry).set({ status: () => ':ended' }).where('hold_reference IN (:...references) AND status = :offered'),
);

export const markEntry = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(WaitlistEntry).set({ status: () => ':to' }).where('id = :id AND status = :from'),
);

export const endEventEntries = new BuiltQuery((dataSource) =>
  dataSource.createQueryBuilder().update(WaitlistEntry).set({ status: () => ':ended' }).where('event_id = :eventId AND status IN (:waiting, :offered)'),
);

/** What withdrawing an offer releases: the hold, as releaseHold takes it. */
export const holdByReference = new BuiltQuery((dataSource) =>
  dataSource.getRepository(Hold).createQueryBuilder('hold').select(['hold.id', 'hold.reference', 'hold.eventId', 'hold.codeId']).where('hold.reference = :reference'),
);

export function waitlistEntryFromRow(row: Record<string, unknown>): WaitlistEntry {
  return Object.assign(new WaitlistEntry(), {
    id: Number(row.entry_id),
    reference: String(row.entry_reference),
    eventId: Number(row.entry_event_id),
    ticketCategoryId: Number(row.entry_ticket_category_id),
    quantity: Number(row.entry_quantity),
    customerEmail: String(row.entry_customer_email),
    customerName: readNullableString(row.entry_customer_name),
    status: row.entry_status as WaitlistStatus,
    holdReference: readNullableString(row.entry_hold_reference),
    offerExpiresAt: readNullableDate(row.entry_offer_expires_at),
    createdAt: readDate(row.entry_created_at),
  });
}

export const WAITLIST = {
  waiting: WaitlistStatus.Waiting,
  offered: WaitlistStatus.Offered,
  converted: WaitlistStatus.Converted,
  expired: WaitlistStatus.Expired,
  withdrawn: WaitlistStatus.Withdrawn,
} as const;
