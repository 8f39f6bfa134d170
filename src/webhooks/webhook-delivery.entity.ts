import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum DeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  Failed = 'failed',
}

/**
 * One outbox message on its way to one endpoint. A pending delivery is due at `nextAttemptAt`;
 * claiming it moves that to the end of the claimer's lease, so an instance that dies mid-send leaves
 * it due again once the lease runs out. A null `nextAttemptAt` parks it while its endpoint is disabled.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('uq_webhook_deliveries_message', ['endpointId', 'messageId'], { unique: true })
@Index('idx_webhook_deliveries_due', ['status', 'nextAttemptAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'endpoint_id', type: 'integer' })
  endpointId!: number;

  @Column({ name: 'message_id', type: 'integer' })
  messageId!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true })
  nextAttemptAt!: Date | null;

  /** Who holds the lease now: an outcome is recorded only by the claim that still holds it. */
  @Column({ name: 'lease_token', type: 'varchar', length: 32, nullable: true })
  leaseToken!: string | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt!: Date | null;
}
