import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../common/error-code.js';
import { BodyLimit } from '../http/body-limit.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { sendRepresentation } from '../http/representation.js';
import { ApiConditionalGet, ApiErrors, ApiIdParam } from '../openapi/api-decorators.js';
import { CurrentOrganizer, OrganizerOnly, OrganizerOptional, ViewingOrganizer } from '../organizers/organizer.guard.js';
import { CreateEventDto, EVENT_BODY_LIMIT } from './dto/create-event.dto.js';
import { SearchEventsQuery } from './dto/search-events.query.js';
import { UpdateEventDto } from './dto/update-event.dto.js';
import { EventReads } from './event-reads.js';
import { EventResponse, mapEvent } from './event.mapper.js';
import { EventsService } from './events.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly reads: EventReads,
  ) {}

  @Post()
  @BodyLimit(EVENT_BODY_LIMIT)
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'Publish an event with its ticket categories (organisers)' })
  @ApiCreatedResponse({ type: EventResponse })
  @ApiErrors(ErrorCode.AlreadyExists, ErrorCode.BusyTryAgain)
  async create(@Body() dto: CreateEventDto, @CurrentOrganizer() organizerId: number): Promise<EventResponse> {
    return mapEvent(await this.events.create(dto, organizerId), organizerId);
  }

  @Get()
  @OrganizerOptional()
  @ApiOperation({ summary: 'Upcoming scheduled events by date, paginated by cursor, optionally searched; with an organiser key, its own events show their hidden categories' })
  @ApiConditionalGet([EventResponse])
  @ApiErrors()
  async list(@Query() query: SearchEventsQuery, @ViewingOrganizer() viewer: number | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendRepresentation(reply, await this.reads.page(request.url, query, viewer), request.headers['if-none-match'], this.reads.cacheControl(viewer));
  }

  @Get(':id')
  @OrganizerOptional()
  @ApiOperation({ summary: "One event, past and cancelled ones too; with its owner's key, its hidden categories too" })
  @ApiIdParam('The event id.')
  @ApiConditionalGet(EventResponse)
  @ApiErrors(ErrorCode.EventNotFound)
  async findOne(@Param('id', ParseIdPipe) id: number, @ViewingOrganizer() viewer: number | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendRepresentation(reply, await this.reads.event(request.url, id, viewer), request.headers['if-none-match'], this.reads.cacheControl(viewer));
  }

  @Patch(':id')
  @BodyLimit(EVENT_BODY_LIMIT)
  @OrganizerOnly()
  @ApiOperation({ summary: 'Change an event you own: its fields, its categories, or add categories' })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: EventResponse })
  @ApiErrors(ErrorCode.EventNotFound, ErrorCode.EventInPast, ErrorCode.EventCancelled, ErrorCode.SeatsLimitBelowSold, ErrorCode.AlreadyExists, ErrorCode.BusyTryAgain)
  async update(
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateEventDto,
    @CurrentOrganizer() organizerId: number,
  ): Promise<EventResponse> {
    return mapEvent(await this.events.update(id, organizerId, dto), organizerId);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'Cancel an event you own: every booking is cancelled and every hold released' })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: EventResponse })
  @ApiErrors(ErrorCode.EventNotFound, ErrorCode.EventInPast, ErrorCode.BusyTryAgain)
  async cancel(@Param('id', ParseIdPipe) id: number, @CurrentOrganizer() organizerId: number): Promise<EventResponse> {
    return mapEvent(await this.events.cancel(id, organizerId), organizerId);
  }
}
