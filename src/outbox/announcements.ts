import type { DataSource } from 'typeorm';
import type { Statement } from '../database/built-query.js';
import { MultiRowInsert } from '../database/multi-row-insert.js';
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

const insertMessages = new MultiRowInsert(OutboxMessage, ['messageKey', 'type', 'eventId', 'subject', 'data', 'createdAt']);

export function messagesStatement(dataSource: DataSource, announcements: Announcement[], now = new Date()): Statement {
  return insertMessages.statement(
    dataSource,
    announcements.map((announcement) =>
      Object.assign(new OutboxMessage(), {
        messageKey: newMessageKey(),
        type: announcement.type,
        eventId: announcement.eventId,
        subject: announcement.subject ?? null,
        data: JSON.stringify(announcement.data),
        createdAt: now,
      }),
    ),
  );
}

/**
 * The messages of bookings inserted earlier in the same transaction, each with the id its booking
 * got: the JSON is rendered with the id first, and the id is put between its two halves by the
 * database, so the stored text is byte for byte what JSON.stringify makes of the answer.
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
    `INSERT INTO ${name('outbox_messages')} (${name('message_key')}, ${name('message_type')}, ${name('event_id')}, ${name('message_data')}, ${name('created_at')}) ` +
    `SELECT announced.message_key, announced.message_type, booking.${name('event_id')}, CONCAT('{"id":', booking.${name('id')}, announced.rest), booking.${name('created_at')} ` +
    `FROM ${name('bookings')} booking INNER JOIN (${rows.join(' UNION ALL ')}) announced ON announced.reference = booking.${name('reference')}`;
  return [sql, values];
}

/**
 * The announcement, written only if the statement just before it in the transaction changed a row
 * (its `changed` answers whether it did): a check-in is decided by one conditional UPDATE, and
 * announced in the same round trip as it on MySQL, with no read between them.
 */
export function announcedIfChanged(dataSource: DataSource, announcement: Announcement, now: Date): { insert: Statement; inserted: Statement } {
  const { driver } = dataSource;
  const name = (identifier: string) => driver.escape(identifier);
  const rowsChanged = dataSource.options.type === 'mysql' ? 'ROW_COUNT()' : 'changes()';
  const metadata = dataSource.getMetadata(OutboxMessage);
  const createdAt: unknown = driver.preparePersistentValue(now, metadata.findColumnWithPropertyName('createdAt')!);
  const sql =
    `INSERT INTO ${name('outbox_messages')} (${name('message_key')}, ${name('message_type')}, ${name('event_id')}, ${name('message_data')}, ${name('created_at')}) ` +
    `SELECT ?, ?, ?, ?, ? FROM (SELECT 1 AS one) once WHERE ${rowsChanged} = 1`;
  return {
    insert: [sql, [newMessageKey(), announcement.type, announcement.eventId, JSON.stringify(announcement.data), createdAt]],
    // Right after the INSERT, the count is its own: 1 when the UPDATE before it had matched.
    inserted: [`SELECT ${rowsChanged} AS changed`, []],
  };
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
  const createdAt: unknown = driver.preparePersistentValue(now, dataSource.getMetadata(OutboxMessage).findColumnWithPropertyName('createdAt')!);
  const sql =
    `INSERT INTO ${name('outbox_messages')} (${name('message_key')}, ${name('message_type')}, ${name('event_id')}, ${name('subject')}, ${name('message_data')}, ${name('created_at')}) ` +
    `SELECT CONCAT(created.${name('message_key')}, ?), ?, created.${name('event_id')}, created.${name('subject')}, created.${name('message_data')}, ? ` +
    `FROM ${name('outbox_messages')} created WHERE created.${name('message_type')} = ? AND created.${name('subject')} IN (${references.map(() => '?').join(', ')})`;
  return [sql, [type === 'hold.expired' ? '_expired' : '_released', type, createdAt, 'hold.created', ...references]];
}
