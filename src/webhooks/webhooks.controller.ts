import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../common/error-code.js';
import { ListEventsQuery } from '../events/dto/list-events.query.js';
import { BodyLimit } from '../http/body-limit.js';
import { nextPageLink } from '../http/next-page-link.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { ApiErrors, ApiIdParam } from '../openapi/api-decorators.js';
import { CurrentOrganizer, OrganizerOnly } from '../organizers/organizer.guard.js';
import { CreateWebhookDto, ListDeliveriesQuery, UpdateWebhookDto, WEBHOOK_BODY_LIMIT } from './dto/webhook.dto.js';
import { DeliveryResponse, mapDelivery, mapWebhook, mapWebhookWithSecret, WebhookResponse, WebhookWithSecretResponse } from './webhook.mapper.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @BodyLimit(WEBHOOK_BODY_LIMIT)
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'Receive signed messages of changes to your events at a URL', description: 'The answer is the only one that shows the signing secret.' })
  @ApiCreatedResponse({ type: WebhookWithSecretResponse })
  @ApiErrors(ErrorCode.WebhookUrlNotAllowed, ErrorCode.BusyTryAgain)
  async create(@Body() dto: CreateWebhookDto, @CurrentOrganizer() organizerId: number): Promise<WebhookWithSecretResponse> {
    return mapWebhookWithSecret(await this.webhooks.create(organizerId, dto));
  }

  @Get()
  @OrganizerOnly()
  @ApiOperation({ summary: 'Your webhooks, oldest first, paginated' })
  @ApiOkResponse({ type: [WebhookResponse] })
  @ApiErrors()
  async list(@Query() query: ListEventsQuery, @CurrentOrganizer() organizerId: number, @Res({ passthrough: true }) reply: FastifyReply): Promise<WebhookResponse[]> {
    const page = await this.webhooks.list(organizerId, query);
    const link = nextPageLink('/webhooks', { limit: page.limit }, page.nextCursor);
    if (link) void reply.header('Link', link);
    return page.items.map(mapWebhook);
  }

  @Get(':id')
  @OrganizerOnly()
  @ApiOperation({ summary: 'One of your webhooks' })
  @ApiIdParam('The webhook id.')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors(ErrorCode.WebhookNotFound)
  async findOne(@Param('id', ParseIdPipe) id: number, @CurrentOrganizer() organizerId: number): Promise<WebhookResponse> {
    return mapWebhook(await this.webhooks.find(organizerId, id));
  }

  @Patch(':id')
  @BodyLimit(WEBHOOK_BODY_LIMIT)
  @OrganizerOnly()
  @ApiOperation({ summary: 'Change a webhook: its URL, types, description, or status' })
  @ApiIdParam('The webhook id.')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors(ErrorCode.WebhookNotFound, ErrorCode.WebhookUrlNotAllowed, ErrorCode.BusyTryAgain)
  async update(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateWebhookDto, @CurrentOrganizer() organizerId: number): Promise<WebhookResponse> {
    return mapWebhook(await this.webhooks.update(organizerId, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @OrganizerOnly()
  @ApiOperation({ summary: 'Delete a webhook and what it had yet to deliver' })
  @ApiIdParam('The webhook id.')
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(ErrorCode.WebhookNotFound, ErrorCode.BusyTryAgain)
  async remove(@Param('id', ParseIdPipe) id: number, @CurrentOrganizer() organizerId: number): Promise<void> {
    await this.webhooks.remove(organizerId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'A new signing secret', description: 'For 24 hours messages carry a signature under the old secret too, so a receiver can switch without losing one.' })
  @ApiIdParam('The webhook id.')
  @ApiOkResponse({ type: WebhookWithSecretResponse })
  @ApiErrors(ErrorCode.WebhookNotFound, ErrorCode.BusyTryAgain)
  async rotateSecret(@Param('id', ParseIdPipe) id: number, @CurrentOrganizer() organizerId: number): Promise<WebhookWithSecretResponse> {
    return mapWebhookWithSecret(await this.webhooks.rotateSecret(organizerId, id));
  }

  @Get(':id/deliveries')
  @OrganizerOnly()
  @ApiOperation({ summary: "The webhook's messages and how delivering each went, newest first, paginated" })
  @ApiIdParam('The webhook id.')
  @ApiOkResponse({ type: [DeliveryResponse] })
  @ApiErrors(ErrorCode.WebhookNotFound)
  async deliveries(
    @Param('id', ParseIdPipe) id: number,
    @Query() query: ListDeliveriesQuery,
    @CurrentOrganizer() organizerId: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeliveryResponse[]> {
    const page = await this.webhooks.deliveries(organizerId, id, query);
    const link = nextPageLink(`/webhooks/${id}/deliveries`, { limit: page.limit, ...(query.status && { status: query.status }) }, page.nextCursor);
    if (link) void reply.header('Link', link);
    return page.items.map(mapDelivery);
  }

  @Post(':id/deliveries/:message_id/retry')
  @HttpCode(202)
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'Send a message again now, also one delivered or failed' })
  @ApiIdParam('The webhook id.')
  @ApiParam({ name: 'message_id', schema: { type: 'string', example: 'msg_2Q7ZK4M9XW3FJ8RTB6N1CDHV' }, description: 'The id of the message (its webhook-id).' })
  @ApiAcceptedResponse({ description: 'It will be sent within moments.' })
  @ApiErrors(ErrorCode.WebhookNotFound, ErrorCode.WebhookMessageNotFound, ErrorCode.BusyTryAgain)
  async retry(@Param('id', ParseIdPipe) id: number, @Param('message_id') messageId: string, @CurrentOrganizer() organizerId: number): Promise<void> {
    await this.webhooks.retry(organizerId, id, messageId);
  }
}
