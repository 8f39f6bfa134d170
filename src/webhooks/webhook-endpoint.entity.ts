import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { MessageType } from '../outbox/message-types.js';

export enum WebhookStatus {
  Active = 'active',
  Disabled = 'disabled',
}

/** Where an organiser wants to hear of changes to its events, and the secret its messages are signed with. */
@Entity({ name: 'webhook_endpoints' })
@Index('idx_webhook_endpoints_organizer', ['organizerId', 'id'])
export class WebhookEndpoint {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'organizer_id', type: 'integer' })
  organizerId!: number;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  /** The types subscribed to, as a JSON array; null for every type, those added later too. */
  @Column({ name: 'event_types', type: 'text', nullable: true, transformer: { to: (types?: MessageType[] | null) => (types ? JSON.stringify(types) : null), from: (text: string | null) => (text === null ? null : (JSON.parse(text) as MessageType[])) } })
  eventTypes!: MessageType[] | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: WebhookStatus;

  /** Kept in the clear: every message is signed with it. Shown once, when made. */
  @Column({ type: 'varchar', length: 64 })
  secret!: string;

  /** The secret before the last rotation, which still signs messages until `previousSecretUntil`. */
  @Column({ name: 'previous_secret', type: 'varchar', length: 64, nullable: true })
  previousSecret!: string | null;

  @Column({ name: 'previous_secret_until', type: 'datetime', precision: 3, nullable: true })
  previousSecretUntil!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
