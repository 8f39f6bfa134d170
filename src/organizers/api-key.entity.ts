import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Organizer } from './organizer.entity.js';

/** Only the key's SHA-256 is stored: a leaked table gives nobody a working key. */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'organizer_id', type: 'integer' })
  organizerId!: number;

  @ManyToOne(() => Organizer)
  @JoinColumn({ name: 'organizer_id' })
  organizer!: Relation<Organizer>;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  /** The key's first characters, enough to name it in `organizers list` and `revoke`. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
