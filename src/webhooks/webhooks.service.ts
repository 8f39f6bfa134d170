import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ValidationFailedError, WebhookMessageNotFoundError, WebhookNotFoundError } from '../common/domain-error.js';
import { decodeIdCursor, pageOf, type Page } from '../common/page-cursor.js';
import type { Environment } from '../config/environment.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { DEFAULT_PAGE_SIZE, type ListEventsQuery } from '../events/dto/list-events.query.js';
import type { CreateWebhookDto, ListDeliveriesQuery, UpdateWebhookDto } from './dto/webhook.dto.js';
import { newWebhookSecret } from './signature.js';
import { checkWebhookUrl } from './url-policy.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookStatus, type WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhooksRepository, type DeliveryRecord } from './webhooks.repository.js';

/** For a day after a rotation, messages are signed with the old secret too. */
const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;


/** An organiser's webhook endpoints: each organiser sees and changes only its own. */
@Injectable()
export class WebhooksService {
  private readonly allowPrivateNetworks: boolean;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly transactions: TransactionRunner,
    private readonly dispatcher: WebhookDispatcher,
    config: ConfigService<Environment, true>,
  ) {
    this.allowPrivateNetworks = config.get('WEBHOOK_ALLOW_PRIVATE_NETWORKS', { infer: true });
  }

  async create(organizerId: number, dto: CreateWebhookDto): Promise<WebhookEndpoint> {
    const url = await checkWebhookUrl(dto.url, this.allowPrivateNetworks);
    return this.transactions.run(async (manager) => {
      await this.repository.waitForUnheardWrites(manager, organizerId);
      return this.repository.insertEndpoint(manager, {
        organizerId,
        url: url.href,
        eventTypes: dto.events ?? null,
        description: dto.description ?? null,
        status: WebhookStatus.Active,
        secret: newWebhookSecret(),
        previousSecret: null,
        previousSecretUntil: null,
        createdAt: new Date(),
      });
    });
  }

  async list(organizerId: number, query: ListEventsQuery): Promise<Page<WebhookEndpoint>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.cursor === undefined ? 0 : decodeIdCursor(query.cursor);
    return pageOf(await this.repository.listEndpoints(organizerId, afterId, limit), limit, (endpoint) => endpoint.id);
  }

  async find(organizerId: number, id: number): Promise<WebhookEndpoint> {
    const endpoint = await this.repository.findEndpoint(undefined, id, organizerId);
    if (!endpoint) throw new WebhookNotFoundError(id);
    return endpoint;
  }

  /** Disabling parks the deliveries due; enabling sends them. Either way, in the same transaction. */
  async update(organizerId: number, id: number, dto: UpdateWebhookDto): Promise<WebhookEndpoint> {
    if (dto.url === null || dto.status === null) throw new ValidationFailedError([`${dto.url === null ? 'url' : 'status'} cannot be null`]);
    const url = dto.url === undefined ? undefined : (await checkWebhookUrl(dto.url, this.allowPrivateNetworks)).href;
    const updated = await this.transactions.run(async (manager) => {
      const endpoint = await this.repository.findEndpoint(manager, id, organizerId);
      if (!endpoint) throw new WebhookNotFoundError(id);
      if (dto.status === WebhookStatus.Active && endpoint.status === WebhookStatus.Disabled) await this.repository.waitForUnheardWrites(manager, organizerId);
      const changes: Partial<WebhookEndpoint> = {
        ...(url !== undefined && { url }),
        ...(dto.events !== undefined && { eventTypes: dto.events }),
        ...(dto.description !== undefined && { description: dto.description }),
        ...(dto.status !== undefined && { status: dto.status }),
      };
      if (Object.keys(changes).length > 0) await this.repository.updateEndpoint(manager, id, changes);
      if (dto.status === WebhookStatus.Disabled && endpoint.status === WebhookStatus.Active) await this.repository.parkDeliveries(manager, id);
      if (dto.status === WebhookStatus.Active && endpoint.status === WebhookStatus.Disabled) await this.repository.resumeDeliveries(manager, id, new Date());
      return { ...endpoint, ...changes };
    });
    if (dto.status === WebhookStatus.Active) this.dispatcher.wake();
    return updated;
  }

  async remove(organizerId: number, id: number): Promise<void> {
    const deleted = await this.transactions.run((manager) => this.repository.deleteEndpoint(manager, id, organizerId));
    if (!deleted) throw new WebhookNotFoundError(id);
  }

  /** A new secret; the old one keeps signing too for a day, so receivers can switch without losing a message. */
  async rotateSecret(organizerId: number, id: number): Promise<WebhookEndpoint> {
    return this.transactions.run(async (manager) => {
      const endpoint = await this.repository.findEndpoint(manager, id, organizerId);
      if (!endpoint) throw new WebhookNotFoundError(id);
      const changes = { secret: newWebhookSecret(), previousSecret: endpoint.secret, previousSecretUntil: new Date(Date.now() + ROTATION_OVERLAP_MS) };
      await this.repository.updateEndpoint(manager, id, changes);
      return { ...endpoint, ...changes };
    });
  }

  async deliveries(organizerId: number, id: number, query: ListDeliveriesQuery): Promise<Page<DeliveryRecord>> {
    await this.find(organizerId, id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const beforeId = query.cursor === undefined ? 0 : decodeIdCursor(query.cursor);
    return pageOf(await this.repository.listDeliveries(id, query.status, beforeId, limit), limit, (delivery) => delivery.id);
  }

  async retry(organizerId: number, id: number, messageKey: string): Promise<void> {
    await this.find(organizerId, id);
    const due = await this.transactions.run((manager) => this.repository.retryNow(manager, id, messageKey, new Date()));
    if (!due) throw new WebhookMessageNotFoundError(id, messageKey);
    this.dispatcher.wake();
  }
}
