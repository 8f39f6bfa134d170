import { ApiProperty } from '@nestjs/swagger';
import { MESSAGE_TYPES, type MessageType } from '../outbox/message-types.js';
import { DeliveryStatus } from './webhook-delivery.entity.js';
import { WebhookStatus, type WebhookEndpoint } from './webhook-endpoint.entity.js';
import type { DeliveryRecord } from './webhooks.repository.js';

export class WebhookResponse {
  @ApiProperty({ type: 'integer', example: 3 })
  id!: number;

  @ApiProperty({ example: 'https://crm.example.com/hooks/tickets' })
  url!: string;

  @ApiProperty({ enum: MESSAGE_TYPES, isArray: true, description: 'The types it receives.' })
  events!: MessageType[];

  @ApiProperty({ type: 'string', nullable: true, example: 'Mailer' })
  description!: string | null;

  @ApiProperty({ enum: WebhookStatus, example: WebhookStatus.Active, description: 'disabled by PATCH, or by the receiver answering 410 Gone.' })
  status!: WebhookStatus;

  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00.000Z' })
  created_at!: string;
}

/** The answer of a creation or a rotation: the only ones that show the secret. */
export class WebhookWithSecretResponse extends WebhookResponse {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Signs every message (Standard Webhooks); shown only here. Keep it.' })
  secret!: string;
}

export class DeliveryResponse {
  @ApiProperty({ example: 'msg_2Q7ZK4M9XW3FJ8RTB6N1CDHV', description: 'The message: its webhook-id header, the same on every attempt.' })
  id!: string;

  @ApiProperty({ enum: MESSAGE_TYPES, example: 'booking.confirmed' })
  type!: MessageType;

  @ApiProperty({ enum: DeliveryStatus, example: DeliveryStatus.Delivered })
  status!: DeliveryStatus;

  @ApiProperty({ type: 'integer', example: 1 })
  attempts!: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 200, description: 'What the receiver answered last; null when it did not answer.' })
  last_status_code!: number | null;

  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why the last attempt failed.' })
  last_error!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'When it is tried next; null once delivered or failed, or while the webhook is disabled.' })
  next_attempt_at!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-02T09:31:00.120Z' })
  delivered_at!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:31:00.042Z', description: 'When the change it announces was committed.' })
  created_at!: string;
}

export function mapWebhook(endpoint: WebhookEndpoint): WebhookResponse {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.eventTypes ?? [...MESSAGE_TYPES],
    description: endpoint.description,
    status: endpoint.status,
    created_at: endpoint.createdAt.toISOString(),
  };
}

export function mapWebhookWithSecret(endpoint: WebhookEndpoint): WebhookWithSecretResponse {
  return { ...mapWebhook(endpoint), secret: endpoint.secret };
}

export function mapDelivery(delivery: DeliveryRecord): DeliveryResponse {
  return {
    id: delivery.messageKey,
    type: delivery.type,
    status: delivery.status,
    attempts: delivery.attempts,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    next_attempt_at: delivery.status === DeliveryStatus.Pending ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    created_at: delivery.createdAt.toISOString(),
  };
}
