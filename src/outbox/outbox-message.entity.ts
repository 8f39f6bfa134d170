import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { MessageType } from './message-types.js';

/**
 * A change announced to the organiser's systems, written in the same transaction as the change
 * itself (a change that commits is announced, one that rolls back never is). The webhooks worker
 * fans each out to the organiser's endpoints once (`dispatched_at`) and delivers from there.
 */
@Entity({ name: 'outbox_messages' })
@Index('uq_outbox_messages_key', ['messageKey'], { unique: true })
@Index('idx_outbox_messages_undispatched', ['dispatchedAt', 'id'])
@Index('idx_outbox_messages_subject', ['subject'])
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** The `webhook-id` every delivery of the message carries, the same on each retry: receivers dedupe by it. */
  @Column({ name: 'message_key', type: 'varchar', length: 40 })
  messageKey!: string;

  @Column({ name: 'message_type', type: 'varchar', length: 40 })
  type!: MessageType;

  /** The event whose organiser hears of the change. */
  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;

  /** The reference of the hold the message is about, so that its expiry can be announced from the ledger's SQL alone. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  subject!: string | null;

  /** The JSON the API answers for the resource, as text, sent byte for byte as the body's `data`. */
  @Column({ name: 'message_data', type: 'text' })
  data!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'dispatched_at', type: 'datetime', precision: 3, nullable: true })
  dispatchedAt!: Date | null;
}

/**
 * The body every delivery of the message sends: its data inserted as stored, so the bytes signed
 * are the same on every retry and from every instance.
 */
export function messageBody(message: Pick<OutboxMessage, 'type' | 'createdAt' | 'data'>): string {
  return `{"type":${JSON.stringify(message.type)},"timestamp":${JSON.stringify(message.createdAt.toISOString())},"data":${message.data}}`;
}
