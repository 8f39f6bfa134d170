import { Column, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What is kept of a bearer key (see secret-keys.ts): only its SHA-256, so a leaked table gives
 * nobody a working key, and its first characters, to name it in lists and revocations. Organiser
 * keys and scanner keys are tables of their own; this class declares their shared columns once.
 */
export abstract class StoredKey {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
