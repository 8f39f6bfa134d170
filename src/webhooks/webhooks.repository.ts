import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { readDate, readNullableDate, readNullableInteger, readNullableString } from '../database/column-values.js';
import { supportsRowLocks } from '../database/row-locks.js';
import type { MessageType } from '../outbox/message-types.js';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint, WebhookStatus } from './webhook-endpoint.entity.js';

/** A delivery as its endpoint's list shows it: the message it carries, and how sending it went. */
export interface DeliveryRecord {
  id: number;
  messageKey: string;
  type: MessageType;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery claimed for sending, with all a send needs; the outcome is recorded under `leaseToken`. */
export interface ClaimedDelivery {
  id: number;
  attempts: number;
  leaseToken: string;
  endpoint: WebhookEndpoint;
  message: Pick<OutboxMessage, 'messageKey' | 'type' | 'data' | 'createdAt'>;
}

/** What one attempt leaves on its delivery. */
export interface DeliveryOutcome {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  /** Given only to take back the attempt a claim counted when nothing was sent. */
  attempts?: number;
}

/**
 * The webhook tables' SQL. Messages are fanned out to deliveries and deliveries claimed with
 * `FOR UPDATE SKIP LOCKED` on MySQL, so instances never wait on one another nor take the same
 * rows; SQLite's one process runs its write transactions one at a time and needs no row locks.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  insertEndpoint(manager: EntityManager, endpoint: Omit<WebhookEndpoint, 'id'>): Promise<WebhookEndpoint> {
    return manager.save(WebhookEndpoint, manager.create(WebhookEndpoint, endpoint));
  }

  /**
   * Locks the organiser's events, on MySQL, in the transaction that makes one of its webhooks
   * active. Every write that has read whether anybody listens holds its event's row in share mode
   * until it commits (listeningStatement, unannouncedCheckIn, and each message INSERT's own test):
   * this waits for every such write to end, and every one after it reads the webhook. The webhook
   * receives every change committed after it is active. SQLite runs one write transaction at a
   * time, and needs nothing.
   */
  async waitForUnheardWrites(manager: EntityManager, organizerId: number): Promise<void> {
    if (!supportsRowLocks(manager)) return;
    const name = (identifier: string) => manager.connection.driver.escape(identifier);
    await this.sql(manager, `SELECT ${name('id')} FROM ${name('events')} WHERE ${name('organizer_id')} = :organizerId FOR UPDATE`, { organizerId });
  }

  /** Inside a transaction, the row is locked: changes of one endpoint (PATCH, rotation) then follow one another. */
  findEndpoint(manager: EntityManager | undefined, id: number, organizerId: number): Promise<WebhookEndpoint | null> {
    if (!manager) return this.dataSource.manager.findOneBy(WebhookEndpoint, { id, organizerId });
    return manager.findOne(WebhookEndpoint, { where: { id, organizerId }, ...(supportsRowLocks(manager) && { lock: { mode: 'pessimistic_write' } }) });
  }

  /** The organiser's endpoints after `afterId`, one more than the page to tell whether another follows. */
  listEndpoints(organizerId: number, afterId: number, limit: number): Promise<WebhookEndpoint[]> {
    return this.dataSource
      .getRepository(WebhookEndpoint)
      .createQueryBuilder('endpoint')
      .where('endpoint.organizerId = :organizerId AND endpoint.id > :afterId', { organizerId, afterId })
      .orderBy('endpoint.id', 'ASC')
      .take(limit + 1)
      .getMany();
  }

  async updateEndpoint(manager: EntityManager, id: number, changes: Partial<WebhookEndpoint>): Promise<void> {
    await manager.update(WebhookEndpoint, { id }, changes);
  }

  /** Its deliveries go with it (ON DELETE CASCADE), and only if it is the organiser's own. */
  async deleteEndpoint(manager: EntityManager, id: number, organizerId: number): Promise<boolean> {
    const result = await manager.delete(WebhookEndpoint, { id, organizerId });
    return result.affected === 1;
  }

  /** A disabled endpoint's pending deliveries wait, unscheduled, until it is active again. */
  async parkDeliveries(manager: EntityManager, endpointId: number): Promise<void> {
    await manager.update(WebhookDelivery, { endpointId, status: DeliveryStatus.Pending }, { nextAttemptAt: null, leaseToken: null });
  }

  async resumeDeliveries(manager: EntityManager, endpointId: number, now: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ nextAttemptAt: now })
      .where('endpointId = :endpointId AND status = :pending AND nextAttemptAt IS NULL', { endpointId, pending: DeliveryStatus.Pending })
      .execute();
  }

  /**
   * Takes up to `batch` messages no instance has fanned out yet, makes a delivery of each to every
   * active endpoint of its event's organiser subscribed to its type, and marks them fanned out,
   * in one transaction. Answers how many messages it took.
   */
  async fanOut(manager: EntityManager, now: Date, batch: number): Promise<number> {
    let pick = manager
      .getRepository(OutboxMessage)
      .createQueryBuilder('message')
      .select('message.id', 'id')
      .where('message.dispatchedAt IS NULL')
      .orderBy('message.id', 'ASC')
      .limit(batch);
    if (supportsRowLocks(manager)) pick = pick.setLock('pessimistic_write').setOnLocked('skip_locked');
    const ids = (await pick.getRawMany<{ id: number | string }>()).map((row) => Number(row.id));
    if (ids.length === 0) return 0;
    const name = (identifier: string) => manager.connection.driver.escape(identifier);
    await this.sql(
      manager,
      `INSERT INTO ${name('webhook_deliveries')} (${name('endpoint_id')}, ${name('message_id')}, ${name('status')}, ${name('attempts')}, ${name('next_attempt_at')}) ` +
        `SELECT endpoint.${name('id')}, message.${name('id')}, :pending, 0, :now FROM ${name('outbox_messages')} message ` +
        `INNER JOIN ${name('events')} event ON event.${name('id')} = message.${name('event_id')} ` +
        `INNER JOIN ${name('webhook_endpoints')} endpoint ON endpoint.${name('organizer_id')} = event.${name('organizer_id')} AND endpoint.${name('status')} = :active ` +
        `WHERE message.${name('id')} IN (:...ids) AND (endpoint.${name('event_types')} IS NULL OR endpoint.${name('event_types')} LIKE CONCAT('%"', message.${name('message_type')}, '"%')) ` +
        // A delivery made by hand (a test, an operator) must not stop the fan-out of everything after it.
        `AND NOT EXISTS (SELECT 1 FROM ${name('webhook_deliveries')} made WHERE made.${name('endpoint_id')} = endpoint.${name('id')} AND made.${name('message_id')} = message.${name('id')})`,
      { pending: DeliveryStatus.Pending, now, active: WebhookStatus.Active, ids },
    );
    await manager.update(OutboxMessage, ids, { dispatchedAt: now });
    return ids.length;
  }

  /**
   * Claims up to `batch` due deliveries for `leaseMs`, none to the endpoints `passedOver`: each
   * becomes due again only when the lease runs out, so it is sent by one claimer at a time, and by
   * another if this one dies mid-send.
   */
  async claimDue(manager: EntityManager, now: Date, leaseMs: number, batch: number, passedOver: number[]): Promise<ClaimedDelivery[]> {
    let pick = manager
      .getRepository(WebhookDelivery)
      .createQueryBuilder('delivery')
      .select('delivery.id', 'id')
      .where('delivery.status = :pending AND delivery.nextAttemptAt <= :now', { pending: DeliveryStatus.Pending, now })
      .orderBy('delivery.nextAttemptAt', 'ASC')
      .limit(batch);
    if (passedOver.length > 0) pick = pick.andWhere('delivery.endpointId NOT IN (:...passedOver)', { passedOver });
    if (supportsRowLocks(manager)) pick = pick.setLock('pessimistic_write').setOnLocked('skip_locked');
    const ids = (await pick.getRawMany<{ id: number | string }>()).map((row) => Number(row.id));
    if (ids.length === 0) return [];
    const leaseToken = randomBytes(12).toString('hex');
    // Conditional as well as locked, so the claim does not rest on the locking read alone: a row that is
    // no longer due when the UPDATE runs (another claimer took it) stays the other claimer's.
    await manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ nextAttemptAt: new Date(now.getTime() + leaseMs), leaseToken, attempts: () => 'attempts + 1' })
      .where('id IN (:...ids) AND status = :pending AND next_attempt_at <= :now', { ids, pending: DeliveryStatus.Pending, now })
      .execute();
    const rows = await manager
      .getRepository(WebhookDelivery)
      .createQueryBuilder('delivery')
      .innerJoin(WebhookEndpoint, 'endpoint', 'endpoint.id = delivery.endpointId')
      .innerJoin(OutboxMessage, 'message', 'message.id = delivery.messageId')
      .select(['delivery.id AS id', 'delivery.attempts AS attempts', 'delivery.endpointId AS endpoint_id'])
      .addSelect(['message.messageKey AS message_key', 'message.type AS message_type', 'message.data AS message_data', 'message.createdAt AS message_created_at'])
      .where('delivery.id IN (:...ids) AND delivery.leaseToken = :leaseToken', { ids, leaseToken })
      .getRawMany<Record<string, unknown>>();
    const endpoints = new Map((await manager.getRepository(WebhookEndpoint).findBy(rows.map((row) => ({ id: Number(row.endpoint_id) })))).map((endpoint) => [endpoint.id, endpoint]));
    return rows.map((row) => ({
      id: Number(row.id),
      attempts: Number(row.attempts),
      leaseToken,
      endpoint: endpoints.get(Number(row.endpoint_id))!,
      message: { messageKey: String(row.message_key), type: row.message_type as MessageType, data: String(row.message_data), createdAt: readDate(row.message_created_at) },
    }));
  }

  /** Records an attempt's outcome, unless the lease was lost meanwhile (expired and claimed again, or retried). */
  async recordOutcome(manager: EntityManager, delivery: ClaimedDelivery, outcome: DeliveryOutcome): Promise<boolean> {
    const result = await manager.update(WebhookDelivery, { id: delivery.id, leaseToken: delivery.leaseToken }, { ...outcome, leaseToken: null });
    return result.affected === 1;
  }

  /** Makes deliveries due at `now` again and takes back the attempt their claim counted, where their lease is still held: one UPDATE per claim. */
  async giveBack(manager: EntityManager, deliveries: Pick<ClaimedDelivery, 'id' | 'leaseToken'>[], now: Date): Promise<void> {
    for (const [leaseToken, ids] of idsByLease(deliveries)) {
      await manager
        .createQueryBuilder()
        .update(WebhookDelivery)
        .set({ nextAttemptAt: now, leaseToken: null, attempts: () => 'attempts - 1' })
        .where('id IN (:...ids) AND lease_token = :leaseToken', { ids, leaseToken })
        .execute();
    }
  }

  /** Marks deliveries delivered, those whose lease is still held: one UPDATE per claim and status code answered. */
  async recordDelivered(manager: EntityManager, delivered: { delivery: ClaimedDelivery; statusCode: number }[], now: Date): Promise<void> {
    const byStatus = new Map<number, ClaimedDelivery[]>();
    for (const { delivery, statusCode } of delivered) {
      if (!byStatus.has(statusCode)) byStatus.set(statusCode, []);
      byStatus.get(statusCode)!.push(delivery);
    }
    for (const [statusCode, deliveries] of byStatus) {
      for (const [leaseToken, ids] of idsByLease(deliveries)) {
        await manager
          .createQueryBuilder()
          .update(WebhookDelivery)
          .set({ status: DeliveryStatus.Delivered, nextAttemptAt: null, lastStatusCode: statusCode, lastError: null, deliveredAt: now, leaseToken: null })
          .where('id IN (:...ids) AND lease_token = :leaseToken', { ids, leaseToken })
          .execute();
      }
    }
  }

  /** Makes a delivery due now, whatever its state (also a delivered or failed one). */
  async retryNow(manager: EntityManager, endpointId: number, messageKey: string, now: Date): Promise<boolean> {
    const message = await manager.findOne(OutboxMessage, { select: { id: true }, where: { messageKey } });
    if (!message) return false;
    const result = await manager.update(WebhookDelivery, { endpointId, messageId: message.id }, { status: DeliveryStatus.Pending, nextAttemptAt: now, leaseToken: null });
    return result.affected === 1;
  }

  /** The endpoint's deliveries, newest first, before the delivery `beforeId` (0: from the newest). */
  async listDeliveries(endpointId: number, status: DeliveryStatus | undefined, beforeId: number, limit: number): Promise<DeliveryRecord[]> {
    let query = this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('delivery')
      .innerJoin(OutboxMessage, 'message', 'message.id = delivery.messageId')
      .select(['delivery.id AS id', 'delivery.status AS status', 'delivery.attempts AS attempts', 'delivery.lastStatusCode AS last_status_code', 'delivery.lastError AS last_error'])
      .addSelect(['delivery.nextAttemptAt AS next_attempt_at', 'delivery.deliveredAt AS delivered_at', 'message.messageKey AS message_key', 'message.type AS message_type', 'message.createdAt AS created_at'])
      .where('delivery.endpointId = :endpointId', { endpointId });
    if (status) query = query.andWhere('delivery.status = :status', { status });
    if (beforeId > 0) query = query.andWhere('delivery.id < :beforeId', { beforeId });
    const rows = await query.orderBy('delivery.id', 'DESC').limit(limit + 1).getRawMany<Record<string, unknown>>();
    return rows.map((row) => ({
      id: Number(row.id),
      messageKey: String(row.message_key),
      type: row.message_type as MessageType,
      status: row.status as DeliveryStatus,
      attempts: Number(row.attempts),
      lastStatusCode: readNullableInteger(row.last_status_code),
      lastError: readNullableString(row.last_error),
      nextAttemptAt: readNullableDate(row.next_attempt_at),
      deliveredAt: readNullableDate(row.delivered_at),
      createdAt: readDate(row.created_at),
    }));
  }

  /** Messages not yet fanned out, and deliveries not yet delivered nor given up on. */
  async pendingCount(): Promise<number> {
    const [messages, deliveries] = await Promise.all([
      this.dataSource.getRepository(OutboxMessage).createQueryBuilder('message').where('message.dispatchedAt IS NULL').getCount(),
      this.dataSource.getRepository(WebhookDelivery).countBy({ status: DeliveryStatus.Pending }),
    ]);
    return messages + deliveries;
  }

  /**
   * Deletes messages fanned out before `cutoff` none of whose deliveries is still pending or
   * failed (a failed one may yet be retried by hand); their deliveries go with them (ON DELETE CASCADE).
   */
  async purge(manager: EntityManager, cutoff: Date): Promise<number> {
    const name = (identifier: string) => manager.connection.driver.escape(identifier);
    const rows = await this.sql(
      manager,
      `SELECT message.${name('id')} AS id FROM ${name('outbox_messages')} message WHERE message.${name('dispatched_at')} < :cutoff AND NOT EXISTS ` +
        `(SELECT 1 FROM ${name('webhook_deliveries')} delivery WHERE delivery.${name('message_id')} = message.${name('id')} AND delivery.${name('status')} <> :delivered) LIMIT 1000`,
      { cutoff, delivered: DeliveryStatus.Delivered },
    );
    const messageIds = rows.map((row) => Number(row.id));
    if (messageIds.length === 0) return 0;
    await manager.delete(OutboxMessage, messageIds);
    return messageIds.length;
  }

  private sql(manager: EntityManager, sql: string, parameters: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters);
    return manager.query(text, values);
  }
}

/** An UPDATE under a lease matches only that claim's rows: one per lease token. */
function idsByLease(deliveries: Pick<ClaimedDelivery, 'id' | 'leaseToken'>[]): Map<string, number[]> {
  const ids = new Map<string, number[]>();
  for (const { id, leaseToken } of deliveries) {
    if (!ids.has(leaseToken)) ids.set(leaseToken, []);
    ids.get(leaseToken)!.push(id);
  }
  return ids;
}
