import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../common/error-code.js';
import { ListEventsQuery } from '../events/dto/list-events.query.js';
import { BodyLimit } from '../http/body-limit.js';
import { nextPageLink } from '../http/next-page-link.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { ApiErrors, ApiIdParam } from '../openapi/api-decorators.js';
import { CurrentOrganizer, OrganizerOnly } from '../organizers/organizer.guard.js';
import { CodeResponse, mapCode } from './code.mapper.js';
import { CodesService } from './codes.service.js';
import { CODE_BODY_LIMIT, CODE_PATTERN, CreateCodeDto } from './dto/create-code.dto.js';
import { UpdateCodeDto } from './dto/update-code.dto.js';

/** The code in the path: matched ignoring case; anything else is answered as an unknown code. */
function ApiCodeParam(): MethodDecorator {
  return ApiParam({ name: 'code', schema: { type: 'string', pattern: CODE_PATTERN.source, example: 'SUMMER25' }, description: 'The code, in any case.' });
}

@ApiTags('codes')
@Controller('events/:id/codes')
export class CodesController {
  constructor(private readonly codes: CodesService) {}

  @Post()
  @BodyLimit(CODE_BODY_LIMIT)
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'A discount or access code for an event you own' })
  @ApiIdParam('The event id.')
  @ApiCreatedResponse({ type: CodeResponse })
  @ApiErrors(ErrorCode.EventNotFound, ErrorCode.EventInPast, ErrorCode.EventCancelled, ErrorCode.TicketCategoryNotFound, ErrorCode.CodeAlreadyExists, ErrorCode.BusyTryAgain)
  async create(@Param('id', ParseIdPipe) eventId: number, @Body() dto: CreateCodeDto, @CurrentOrganizer() organizerId: number): Promise<CodeResponse> {
    return mapCode(await this.codes.create(eventId, organizerId, dto));
  }

  @Get()
  @OrganizerOnly()
  @ApiOperation({ summary: "The event's codes with their uses, oldest first, paginated (disabled ones too)" })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: [CodeResponse] })
  @ApiErrors(ErrorCode.EventNotFound)
  async list(
    @Param('id', ParseIdPipe) eventId: number,
    @Query() query: ListEventsQuery,
    @CurrentOrganizer() organizerId: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CodeResponse[]> {
    const page = await this.codes.list(eventId, organizerId, query);
    const link = nextPageLink(`/events/${eventId}/codes`, { limit: page.limit }, page.nextCursor);
    if (link) void reply.header('Link', link);
    return page.codes.map(mapCode);
  }

  @Patch(':code')
  @BodyLimit(CODE_BODY_LIMIT)
  @OrganizerOnly()
  @ApiOperation({ summary: 'Change a code: its discount, limit, window or categories; bookings made before keep their price' })
  @ApiIdParam('The event id.')
  @ApiCodeParam()
  @ApiOkResponse({ type: CodeResponse })
  @ApiErrors(ErrorCode.EventNotFound, ErrorCode.EventInPast, ErrorCode.EventCancelled, ErrorCode.CodeNotFound, ErrorCode.TicketCategoryNotFound, ErrorCode.MaxUsesBelowUses, ErrorCode.BusyTryAgain)
  async update(
    @Param('id', ParseIdPipe) eventId: number,
    @Param('code') code: string,
    @Body() dto: UpdateCodeDto,
    @CurrentOrganizer() organizerId: number,
  ): Promise<CodeResponse> {
    return mapCode(await this.codes.update(eventId, organizerId, code, dto));
  }

  /** Disables rather than deletes: the bookings that used it still name it. */
  @Delete(':code')
  @OrganizerOnly()
  @ApiOperation({ summary: 'Disable a code: later bookings and holds with it fail, earlier ones keep their price' })
  @ApiIdParam('The event id.')
  @ApiCodeParam()
  @ApiOkResponse({ type: CodeResponse, description: 'The disabled code (disabling again answers it the same).' })
  @ApiErrors(ErrorCode.EventNotFound, ErrorCode.EventInPast, ErrorCode.EventCancelled, ErrorCode.CodeNotFound, ErrorCode.BusyTryAgain)
  async disable(@Param('id', ParseIdPipe) eventId: number, @Param('code') code: string, @CurrentOrganizer() organizerId: number): Promise<CodeResponse> {
    return mapCode(await this.codes.disable(eventId, organizerId, code));
  }
}
