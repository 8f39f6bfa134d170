import { Column, Entity } from 'typeorm';
import { StoredKey } from '../common/stored-key.js';

/** A key for door staff: it checks tickets in at one event, and can do nothing else. */
@Entity({ name: 'scanner_keys' })
export class ScannerKey extends StoredKey {
  @Column({ name: 'event_id', type: 'integer' })
  eventId!: number;
}
