import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { LessThan, type Repository } from 'typeorm';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from '../common/domain-error.js';
import { isDuplicateKeyError } from '../database/database-errors.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { IdempotencyKey, IdempotencyKeyState } from './idempotency-key.entity.js';

export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const WAIT_FOR_FIRST_MS = 5_000;
const POLL_MS = 50;
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

export type Claim = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

/**
 * Keys live in the database, so they hold across restarts and instances. The first request
 * inserts its key as "in progress"; a concurrent one with the same key waits for that result.
 * Only 2xx results are kept: a failed request released its key and may simply run again.
 *
 * A crash between the effect's commit and recording its result leaves the key "in progress";
 * retries then get 409 until the key expires, rather than risking the effect twice.
 */
@Injectable()
export class IdempotencyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyStore.name);
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>,
    private readonly transactions: TransactionRunner,
  ) {}

  onApplicationBootstrap(): void {
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) => this.logger.warn(`Idempotency key purge failed: ${String(error)}`));
    }, PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  async claim(key: string, fingerprint: string): Promise<Claim> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      if (await this.tryInsert(key, fingerprint)) return { kind: 'new' };
      const existing = await this.keys.findOneBy({ key });
      if (!existing) continue;
      if (existing.createdAt.getTime() <= Date.now() - KEY_LIFETIME_MS) {
        await this.transactions.run((manager) => manager.delete(IdempotencyKey, { key, createdAt: existing.createdAt }));
        continue;
      }
      if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
      if (existing.state === IdempotencyKeyState.Completed) {
        return { kind: 'replay', status: existing.responseStatus ?? 200, body: JSON.parse(existing.responseBody ?? 'null') as unknown };
      }
      if (Date.now() >= deadline) throw new IdempotencyKeyInUseError();
      await sleep(POLL_MS);
    }
  }

  async complete(key: string, status: number, body: unknown): Promise<void> {
    await this.transactions.run((manager) =>
      manager.update(
        IdempotencyKey,
        { key },
        { state: IdempotencyKeyState.Completed, responseStatus: status, responseBody: JSON.stringify(body ?? null) },
      ),
    );
  }

  async release(key: string): Promise<void> {
    await this.transactions.run((manager) => manager.delete(IdempotencyKey, { key, state: IdempotencyKeyState.InProgress }));
  }

  async purgeExpired(now = new Date()): Promise<void> {
    await this.transactions.run((manager) =>
      manager.delete(IdempotencyKey, { createdAt: LessThan(new Date(now.getTime() - KEY_LIFETIME_MS)) }),
    );
  }

  private async tryInsert(key: string, fingerprint: string): Promise<boolean> {
    try {
      await this.transactions.run((manager) =>
        manager.insert(IdempotencyKey, {
          key,
          fingerprint,
          state: IdempotencyKeyState.InProgress,
          responseStatus: null,
          responseBody: null,
          createdAt: new Date(),
        }),
      );
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
