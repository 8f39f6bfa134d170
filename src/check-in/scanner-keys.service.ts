import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { ScannerKeyNotFoundError } from '../common/domain-error.js';
import { hashSecretKey, isHashOf, newSecretKey, secretKeyPrefix } from '../common/secret-keys.js';
import { BuiltQuery } from '../database/built-query.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventsService } from '../events/events.service.js';
import { ScannerKey } from './scanner-key.entity.js';

export interface IssuedScannerKey {
  key: string;
  prefix: string;
  createdAt: Date;
}

/** Every scan checks its key first: the SQL is built once, not by a find per scan. */
const liveKeyByHash = new BuiltQuery((dataSource) =>
  dataSource.getRepository(ScannerKey).createQueryBuilder('scanner').select(['scanner.keyHash', 'scanner.eventId']).where('scanner.keyHash = :keyHash AND scanner.revokedAt IS NULL'),
);

/** Scanner keys of an event: issued and revoked by its organiser, checked at every scan. */
@Injectable()
export class ScannerKeysService {
  constructor(
    @InjectRepository(ScannerKey) private readonly keys: Repository<ScannerKey>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** A new key for the event; the key itself is shown this once. */
  async issue(eventId: number, organizerId: number): Promise<IssuedScannerKey> {
    await this.events.findOwned(eventId, organizerId);
    const key = newSecretKey('sk');
    const row = { eventId, keyHash: hashSecretKey(key), keyPrefix: secretKeyPrefix(key), createdAt: new Date(), revokedAt: null };
    await this.transactions.run((manager) => manager.insert(ScannerKey, row));
    return { key, prefix: row.keyPrefix, createdAt: row.createdAt };
  }

  async live(eventId: number, organizerId: number): Promise<ScannerKey[]> {
    await this.events.findOwned(eventId, organizerId);
    return this.keys.find({ where: { eventId, revokedAt: IsNull() }, order: { id: 'ASC' } });
  }

  async revoke(eventId: number, organizerId: number, prefix: string): Promise<void> {
    await this.events.findOwned(eventId, organizerId);
    const revoked = await this.transactions.run(async (manager) => {
      const result = await manager.update(ScannerKey, { eventId, keyPrefix: prefix, revokedAt: IsNull() }, { revokedAt: new Date() });
      return result.affected ?? 0;
    });
    if (revoked === 0) throw new ScannerKeyNotFoundError(prefix);
  }

  /** The event a live scanner key admits check-ins at; revoked and unknown keys alike give undefined. */
  async eventOf(key: string): Promise<number | undefined> {
    const [stored] = await liveKeyByHash.rows(this.keys.manager.connection, { keyHash: hashSecretKey(key) });
    return stored && isHashOf(String(stored.scanner_key_hash), key) ? Number(stored.scanner_event_id) : undefined;
  }
}
