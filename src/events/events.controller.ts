import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../common/error-code.js';
import { BodyLimit } from '../http/body-limit.js';
import { nextPageLink } from '../http/next-page-link.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { ApiErrors, ApiIdParam, IDEMPOTENCY_ERRORS, JSON_BODY_ERRORS } from '../openapi/api-decorators.js';
import { CurrentOrganizer, OrganizerOnly } from '../organizers/organizer.guard.js';
import { CreateEventDto, EVENT_BODY_LIMIT } from './dto/create-event.dto.js';
import { ListEventsQuery } from './dto/list-events.query.js';
import { UpdateEventDto } from './dto/update-event.dto.js';
import { EventResponse, mapEvent } from './event.mapper.js';
import { EventsService } from './events.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @BodyLimit(EVENT_BODY_LIMIT)
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'Publish an event with its ticket categories (organisers)' })
  @ApiCreatedResponse({ type: EventResponse })
  @ApiErrors(ErrorCode.ValidationFailed, ...JSON_BODY_ERRORS, ErrorCode.Unauthorized, ErrorCode.BusyTryAgain, ...IDEMPOTENCY_ERRORS)
  async create(@Body() dto: CreateEventDto, @CurrentOrganizer() organizerId: number): Promise<EventResponse> {
    return mapEvent(await this.events.create(dto, organizerId));
  }

  @Get()
  @ApiOperation({ summary: 'Upcoming scheduled events by date, paginated by cursor' })
  @ApiOkResponse({
    type: [EventResponse],
    headers: { Link: { description: 'RFC 8288 link to the next page (rel="next"), when there is one.', schema: { type: 'string' } } },
  })
  @ApiErrors(ErrorCode.ValidationFailed)
  async list(@Query() query: ListEventsQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<EventResponse[]> {
    const page = await this.events.findUpcoming(query);
    const link = nextPageLink('/events', { limit: page.limit }, page.nextCursor);
    if (link) void reply.header('Link', link);
    return page.events.map(mapEvent);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One event, past and cancelled ones too' })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: EventResponse })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.EventNotFound)
  async findOne(@Param('id', ParseIdPipe) id: number): Promise<EventResponse> {
    return mapEvent(await this.events.findPublic(id));
  }

  @Patch(':id')
  @BodyLimit(EVENT_BODY_LIMIT)
  @OrganizerOnly()
  @ApiOperation({ summary: 'Change an event you own: its fields, its categories, or add categories' })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: EventResponse })
  @ApiErrors(
    ErrorCode.ValidationFailed,
    ...JSON_BODY_ERRORS,
    ErrorCode.Unauthorized,
    ErrorCode.EventNotFound,
    ErrorCode.EventCancelled,
    ErrorCode.SeatsLimitBelowSold,
    ErrorCode.BusyTryAgain,
  )
  async update(
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateEventDto,
    @CurrentOrganizer() organizerId: number,
  ): Promise<EventResponse> {
    return mapEvent(await this.events.update(id, organizerId, dto));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'Cancel an event you own: every booking is cancelled and every hold released' })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: EventResponse })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.Unauthorized, ErrorCode.EventNotFound, ErrorCode.BusyTryAgain, ...IDEMPOTENCY_ERRORS)
  async cancel(@Param('id', ParseIdPipe) id: number, @CurrentOrganizer() organizerId: number): Promise<EventResponse> {
    return mapEvent(await this.events.cancel(id, organizerId));
  }
}
