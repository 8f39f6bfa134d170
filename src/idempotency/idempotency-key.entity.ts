import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum IdempotencyKeyState {
  InProgress = 'in_progress',
  Completed = 'completed',
}

@Entity({ name: 'idempotency_keys' })
export class IdempotencyKey {
  /** Compared byte for byte: a binary collation on MySQL (migration IdempotencyKeysByteExact). */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** SHA-256 of method, path and canonical body: the same key must mean the same request. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: IdempotencyKeyState;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
