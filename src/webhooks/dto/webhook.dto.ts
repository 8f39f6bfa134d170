import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEnum, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ListEventsQuery } from '../../events/dto/list-events.query.js';
import { MESSAGE_TYPES, type MessageType } from '../../outbox/message-types.js';
import { MAX_WEBHOOK_URL_LENGTH } from '../url-policy.js';
import { DeliveryStatus } from '../webhook-delivery.entity.js';
import { WebhookStatus } from '../webhook-endpoint.entity.js';

/** A webhook is a URL, its types and a note: a few KB at most. */
export const WEBHOOK_BODY_LIMIT = 16 * 1024;

const URL_DESCRIPTION = 'http or https; a host that is or resolves to a non-public address is refused (WEBHOOK_URL_NOT_ALLOWED).';

function WebhookUrl(): PropertyDecorator {
  return applyDecorators(IsString(), MinLength(1), MaxLength(MAX_WEBHOOK_URL_LENGTH));
}

function WebhookEvents(description: string, nullable: boolean): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: MESSAGE_TYPES, isArray: true, nullable, example: ['booking.confirmed', 'booking.cancelled'], description }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MESSAGE_TYPES.length),
    ArrayUnique(),
    IsIn(MESSAGE_TYPES, { each: true, message: `each value in events must be one of ${MESSAGE_TYPES.join(', ')}` }),
  );
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.com/hooks/tickets', maxLength: MAX_WEBHOOK_URL_LENGTH, description: URL_DESCRIPTION })
  @WebhookUrl()
  url!: string;

  @WebhookEvents('The types to receive; left out, every type (those added later too).', false)
  events?: MessageType[];

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 500, example: 'Mailer' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: MAX_WEBHOOK_URL_LENGTH, description: URL_DESCRIPTION })
  @IsOptional()
  @WebhookUrl()
  url?: string;

  @WebhookEvents('The types to receive; null: every type (those added later too).', true)
  events?: MessageType[] | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ enum: WebhookStatus, description: 'disabled: nothing is sent, and deliveries due wait; active again: they go out.' })
  @IsOptional()
  @IsEnum(WebhookStatus)
  status?: WebhookStatus;
}

export class ListDeliveriesQuery extends ListEventsQuery {
  @ApiPropertyOptional({ enum: DeliveryStatus })
  @IsOptional()
  @IsEnum(DeliveryStatus)
  status?: DeliveryStatus;
}
