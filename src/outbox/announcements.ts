import type { DataSource } from 'typeorm';
import type { Statement } from '../database/built-query.js';
import { supportsRowLocks } from '../database/row-locks.js';
import { generateReference } from '../common/reference.js';
import type { MessageType } from './message-types.js';
import { OutboxMessage } from './outbox-message.entity.js';

/** A change to announce, written to the outbox in the transaction that makes it. */
export interface Announcement {
  type: MessageType;
  eventId: number;
  /** The resource's JSON as the API answers it. */
  data: object;
  /** The hold's reference, on `hold.created`: its release or expiry is announced from this message. */
  subject?: string;
}

/**
 * A booking's announcement, made before the database has given the booking its id (on MySQL the
 * INSERT travels with the COMMIT): the id is filled in by the INSERT that writes the message.
 */
export interface BookingAnnouncement extends Announcement {
  data: { id: number; reference: string };
}

/** 120 random bits: a `webhook-id` no receiver can confuse with another message's. */
function newMessageKey(): string {
  return `msg_${generateReference()}${generateReference()}`;
}

/** `status` of a webhook that receives messages: the webhooks feature's, which the outbox may not import (a test holds them equal). */
export const LISTENING_WEBHOOK_STATUS = 'active';

/**
 * Whether the event's organiser has an active webhook, tested by the INSERT that writes a message:
 * a message is written only when somebody listens. In a sale's rush nearly every message is of an
 * organiser without a webhook. Written for nobody, such a message once had every instance's worker
 * read and update it (a backlog of 150,000 took a quarter of a read scenario's throughput while it
 * drained), and then, written as fanned out already, still cost a booking's transaction more than
 * its own rows, under the category's lock (BENCHMARKS.md, change 22). A webhook made later receives
 * what is written after it, as it would had the worker been quicker. On MySQL the event's row is
 * read in share mode and stays so until the writer commits, as a sale's listeningStatement holds
 * it: making a webhook active waits for every such writer (WebhooksRepository.waitForUnheardWrites),
 * so none that read nobody commits after the webhook is active. Without the lock the read is a
 * plain consistent one on the app's READ COMMITTED connections. `eventId` is an SQL expression
 * after the statement's `?` for LISTENING_WEBHOOK_STATUS.
 */
function listened(dataSource: DataSource, eventId: string): string {
  return `(${listenerRead(dataSource, eventId, supportsRowLocks(dataSource))}) = 1`;
}

/**
 * The condition, for a statement's WHERE, that nobody listens to the event: a change it lets
 * through is owed no announcement. It reads who listens as every message INSERT does (listened).
 */
export function nobodyListens(dataSource: DataSource, eventId: number): Statement {
  return [`(${listenerRead(dataSource, '?', supportsRowLocks(dataSource))}) = 0`, [LISTENING_WEBHOOK_STATUS, eventId]];
}

/**
 * 1 if the organiser of the event `eventId` (an SQL expression) has an active webhook, else 0.
 * With `locksRows`, the event's row and the endpoints read are in share mode: a locking read sees
 * what is committed when it gets its lock, where a plain one in a statement that has read another
 * table already would see the endpoints as they were before it waited.
 */
function listenerRead(dataSource: DataSource, eventId: string, locksRows: boolean): string {
  const name = (identifier: string) => dataSource.driver.escape(identifier);
  return `SELECT ${hasActiveWebhook(dataSource, locksRows)} AS listening FROM ${name('events')} listened WHERE listened.${name('id')} = ${eventId}${shareLock(locksRows)}`;
}

/** Whether the organiser of the event row named `listened` has an active webhook; its `?` is LISTENING_WEBHOOK_STATUS. */
function hasActiveWebhook(dataSource: DataSource, locksRows: boolean): string {
  const name = (identifier: string) => dataSource.driver.escape(identifier);
  return `EXISTS (SELECT 1 FROM ${name('webhook_endpoints')} endpoint WHERE endpoint.${name('organizer_id')} = listened.${name('organizer_id')} AND endpoint.${name('status')} = ?${shareLock(locksRows)})`;
}

function shareLock(locksRows: boolean): string {
  return locksRows ? ' LOCK IN SHARE MODE' : '';
}

function storedDate(dataSource: DataSource, date: Date): unknown {
  return dataSource.driver.preparePersistentValue(date, dataSource.getMetadata(OutboxMessage).findColumnWithPropertyName('createdAt')!);
}

/**
 * The announcements that somebody listens to. A message with a subject (`hold.created`) is written
 * whether or not anybody does, fanned out to nobody at once if not: the hold's release or expiry is
 * announced from it (holdEndedStatement), to whoever listens by then.
 */
export function messagesStatement(dataSource: DataSource, announcements: Announcement[], now = new Date()): Statement {
  const name = (identifier: string) => dataSource.driver.escape(identifier);
  const createdAt = storedDate(dataSource, now);
  const heard = listened(dataSource, 'announced.event_id');
  const rows = announcements.map(() => 'SELECT ? AS message_key, ? AS message_type, ? AS event_id, ? AS subject, ? AS message_data');
  const sql =
    `INSERT INTO ${name('outbox_messages')} (${name('message_key')}, ${name('message_type')}, ${name('event_id')}, ${name('subject')}, ${name('message_data')}, ${name('created_at')}, ${name('dispatched_at')}) ` +
    `SELECT announced.message_key, announced.message_type, announced.event_id, announced.subject, announced.message_data, ?, CASE WHEN ${heard} THEN NULL ELSE ? END ` +
    `FROM (${rows.join(' UNION ALL ')}) announced WHERE announced.subject IS NOT NULL OR ${heard}`;
  const announced = announcements.flatMap((announcement) => [newMessageKey(), announcement.type, announcement.eventId, announcement.subject ?? null, JSON.stringify(announcement.data)]);
  return [sql, [createdAt, LISTENING_WEBHOOK_STATUS, createdAt, ...announced, LISTENING_WEBHOOK_STATUS]];
}

/**
 * Whether the event's organiser has an active webhook, read by a sale right after it has locked
 * its categories: the booking's message is then written only if so, and a sale nobody listens to
 * sends no statement for it at all (BENCHMARKS.md, change 23). On MySQL the read holds the event's
 * row in share mode until the sale commits, and a webhook is made active only after it has locked
 * its organiser's events (WebhooksRepository.waitForUnheardWrites): a sale that read nobody
 * commits before the webhook is active, and every later sale reads the webhook.
 */
export function listeningStatement(dataSource: DataSource, eventId: number, locksRows: boolean): Statement {
  return [listenerRead(dataSource, '?', locksRows), [LISTENING_WEBHOOK_STATUS, eventId]];
}

/** The answer of listeningStatement: 1 or 0 from either database. */
export function isListening(row: Record<string, unknown> | undefined): boolean {
  return Number(row?.listening) === 1;
}

/**
 * The messages of bookings inserted earlier in the same transaction, each with the id its booking
 * got: the JSON is rendered with the id first, and the id is put between its two halves by the
 * database, so the stored text is byte for byte what JSON.stringify makes of the answer. Sent only
 * by a sale that has read that somebody listens (listeningStatement).
 */
export function bookingMessagesStatement(dataSource: DataSource, announcements: BookingAnnouncement[]): Statement {
  const { driver } = dataSource;
  const name = (identifier: string) => driver.escape(identifier);
  const values: unknown[] = [];
  const rows = announcements.map((announcement) => {
    const text = JSON.stringify({ ...announcement.data, id: 0 });
    values.push(announcement.data.reference, newMessageKey(), announcement.type, text.slice(text.indexOf(',')));
    return 'SELECT ? AS reference, ? AS message_key, ? AS message_type, ? AS rest';
  });
  const sql =
    `INSERT INTO ${name('outbox_messages')} (${name('message_key')}, ${name('message_type')}, ${name('event_id')}, ${name('message_data')}, ${name('created_at')}, ${name('dispatched_at')}) ` +
    `SELECT announced.message_key, announced.message_type, booking.${name('event_id')}, CONCAT('{"id":', booking.${name('id')}, announced.rest), booking.${name('created_at')}, NULL ` +
    `FROM ${name('bookings')} booking INNER JOIN (${rows.join(' UNION ALL ')}) announced ON announced.reference = booking.${name('reference')}`;
  return [sql, values];
}

/**
 * The announcement, written only if the statement just before it in the transaction changed a row
 * (a check-in is decided by one conditional UPDATE, and announced in the same round trip as it on
 * MySQL, with no read between them) and somebody listens.
 */
export function announcedIfChanged(dataSource: DataSource, announcement: Announcement, now: Date): Statement {
  const { driver } = dataSource;
  const name = (identifier: string) => driver.escape(identifier);
  const rowsChanged = dataSource.options.type === 'mysql' ? 'ROW_COUNT()' : 'changes()';
  const sql =
    `INSERT INTO ${name('outbox_messages')} (${name('message_key')}, ${name('message_type')}, ${name('event_id')}, ${name('message_data')}, ${name('created_at')}, ${name('dispatched_at')}) ` +
    `SELECT ?, ?, ?, ?, ?, NULL FROM (SELECT 1 AS one) once WHERE ${rowsChanged} = 1 AND ${listened(dataSource, '?')}`;
  return [sql, [newMessageKey(), announcement.type, announcement.eventId, JSON.stringify(announcement.data), storedDate(dataSource, now), LISTENING_WEBHOOK_STATUS, announcement.eventId]];
}

/**
 * The release or expiry of holds, announced in the ledger's own transaction with each hold's JSON
 * copied from its `hold.created` message: the ledger expires holds in bulk, in the SQL of whichever
 * transaction needed the seats, and knows no JSON of them. A hold's JSON has no status to change:
 * the message's type says what became of it.
 */
export function holdEndedStatement(dataSource: DataSource, references: string[], type: 'hold.expired' | 'hold.released', now: Date): Statement {
  const { driver } = dataSource;
  const name = (identifier: string) => driver.escape(identifier);
  const sql =
    `INSERT INTO ${name('outbox_messages')} (${name('message_key')}, ${name('message_type')}, ${name('event_id')}, ${name('subject')}, ${name('message_data')}, ${name('created_at')}, ${name('dispatched_at')}) ` +
    `SELECT CONCAT(created.${name('message_key')}, ?), ?, created.${name('event_id')}, created.${name('subject')}, created.${name('message_data')}, ?, NULL ` +
    `FROM ${name('outbox_messages')} created WHERE created.${name('message_type')} = ? AND created.${name('subject')} IN (${references.map(() => '?').join(', ')}) ` +
    `AND ${listened(dataSource, `created.${name('event_id')}`)}`;
  return [sql, [type === 'hold.expired' ? '_expired' : '_released', type, storedDate(dataSource, now), 'hold.created', ...references, LISTENING_WEBHOOK_STATUS]];
}
