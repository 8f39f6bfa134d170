import { Column, Entity, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { StoredKey } from '../common/stored-key.js';
import { Organizer } from './organizer.entity.js';

/** An organiser's key: it publishes and manages that organiser's events. */
@Entity({ name: 'api_keys' })
export class ApiKey extends StoredKey {
  @Column({ name: 'organizer_id', type: 'integer' })
  organizerId!: number;

  @ManyToOne(() => Organizer)
  @JoinColumn({ name: 'organizer_id' })
  organizer!: Relation<Organizer>;
}
