import { IsNull, type DataSource } from 'typeorm';
import { hashSecretKey, isHashOf, newSecretKey, secretKeyPrefix } from '../common/secret-keys.js';
import { BuiltQuery } from '../database/built-query.js';
import { isDuplicateKeyError } from '../database/database-errors.js';
import { ApiKey } from './api-key.entity.js';
import { Organizer } from './organizer.entity.js';

export interface OrganizerKeys {
  name: string;
  keys: { prefix: string; createdAt: Date; revokedAt: Date | null }[];
}

export class UnknownOrganizerError extends Error {}

/** Every request with an organiser key looks it up: the SQL is built once, not by a find per request. */
const liveKeyByHash = new BuiltQuery((dataSource) =>
  dataSource.getRepository(ApiKey).createQueryBuilder('stored').select(['stored.keyHash', 'stored.organizerId']).where('stored.keyHash = :keyHash AND stored.revokedAt IS NULL'),
);

/**
 * Organisers and their keys, usable both inside the app and from the command-line tool (which
 * has no Nest container). Writes here happen at start-up or from the CLI, never while serving.
 */
export class ApiKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The organiser whose live key this is; revoked and unknown keys alike give undefined. */
  async authenticate(key: string): Promise<number | undefined> {
    const [stored] = await liveKeyByHash.rows(this.dataSource, { keyHash: hashSecretKey(key) });
    return stored && isHashOf(String(stored.stored_key_hash), key) ? Number(stored.stored_organizer_id) : undefined;
  }

  /** Creates the organiser and a first key; returns the key, which is never shown again. */
  async createOrganizer(name: string): Promise<string> {
    const key = newSecretKey('tk');
    await this.dataSource.transaction(async (manager) => {
      const organizer = await manager.save(Organizer, manager.create(Organizer, { name, createdAt: new Date() }));
      await manager.insert(ApiKey, keyRow(organizer.id, key));
    });
    return key;
  }

  async addKey(organizerName: string): Promise<string> {
    const organizer = await this.dataSource.getRepository(Organizer).findOneBy({ name: organizerName });
    if (!organizer) throw new UnknownOrganizerError(`No organiser is named "${organizerName}".`);
    const key = newSecretKey('tk');
    await this.dataSource.getRepository(ApiKey).insert(keyRow(organizer.id, key));
    return key;
  }

  /** Revokes the live keys the prefix names (as `list` shows it, or the whole key); returns how many. */
  async revoke(prefix: string): Promise<number> {
    const keys = this.dataSource.getRepository(ApiKey);
    const live = await keys.findBy({ revokedAt: IsNull() });
    const matching = live.filter((key) => prefix.startsWith(key.keyPrefix) || key.keyPrefix.startsWith(prefix));
    for (const key of matching) await keys.update({ id: key.id }, { revokedAt: new Date() });
    return matching.length;
  }

  async list(): Promise<OrganizerKeys[]> {
    const organizers = await this.dataSource.getRepository(Organizer).find({ order: { id: 'ASC' } });
    const keys = await this.dataSource.getRepository(ApiKey).find({ order: { id: 'ASC' } });
    return organizers.map((organizer) => ({
      name: organizer.name,
      keys: keys
        .filter((key) => key.organizerId === organizer.id)
        .map((key) => ({ prefix: key.keyPrefix, createdAt: key.createdAt, revokedAt: key.revokedAt })),
    }));
  }

  /**
   * Makes sure an organiser of this name owns this key; run at start-up by every instance, so
   * racing instances may both try, and the loser simply finds the winner's rows.
   */
  async ensureKey(organizerName: string, key: string): Promise<void> {
    const organizerId = await this.ensureOrganizer(organizerName);
    const existing = await this.dataSource.getRepository(ApiKey).findOneBy({ keyHash: hashSecretKey(key) });
    if (!existing) await ignoreDuplicate(this.dataSource.getRepository(ApiKey).insert(keyRow(organizerId, key)));
  }

  /** The organiser's id, creating the organiser (without a key) if needed. */
  async ensureOrganizer(name: string): Promise<number> {
    const organizers = this.dataSource.getRepository(Organizer);
    const existing = await organizers.findOneBy({ name });
    if (existing) return existing.id;
    await ignoreDuplicate(organizers.insert({ name, createdAt: new Date() }));
    return (await organizers.findOneByOrFail({ name })).id;
  }
}

function keyRow(organizerId: number, key: string): Omit<ApiKey, 'id' | 'organizer'> {
  return {
    organizerId,
    keyHash: hashSecretKey(key),
    keyPrefix: secretKeyPrefix(key),
    createdAt: new Date(),
    revokedAt: null,
  };
}

async function ignoreDuplicate(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
