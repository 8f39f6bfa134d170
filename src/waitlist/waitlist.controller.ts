import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../common/error-code.js';
import { nextPageLink } from '../http/next-page-link.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { ApiErrors, ApiIdParam, ApiReferenceParam } from '../openapi/api-decorators.js';
import { CurrentOrganizer, OrganizerOnly } from '../organizers/organizer.guard.js';
import { PublicWrite } from '../rate-limit/rate-limit.module.js';
import { JOIN_ERRORS, JoinWaitlistDto } from './dto/join-waitlist.dto.js';
import { ListWaitlistQuery } from './dto/list-waitlist.query.js';
import { mapWaitlistEntry, mapWaitlistEntryWithCustomer, WaitlistEntryResponse, WaitlistEntryWithCustomerResponse } from './waitlist.mapper.js';
import { WaitlistService } from './waitlist.service.js';

@ApiTags('waitlist')
@Controller()
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Post('events/:id/waitlist')
  @PublicWrite()
  @Idempotent()
  @ApiOperation({ summary: 'Wait for seats of a sold-out category: freed seats are offered in arrival order, as a hold, to each entry they fit' })
  @ApiIdParam('The event id.')
  @ApiCreatedResponse({ type: WaitlistEntryResponse })
  @ApiErrors(...JOIN_ERRORS)
  async join(@Param('id', ParseIdPipe) eventId: number, @Body() dto: JoinWaitlistDto): Promise<WaitlistEntryResponse> {
    return mapWaitlistEntry(await this.waitlist.join(eventId, dto));
  }

  @Get('events/:id/waitlist')
  @OrganizerOnly()
  @ApiOperation({ summary: "An event's waiting-list entries with their customers, oldest first (the event's organiser only)" })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: [WaitlistEntryWithCustomerResponse] })
  @ApiErrors(ErrorCode.EventNotFound)
  async listForEvent(
    @Param('id', ParseIdPipe) eventId: number,
    @Query() query: ListWaitlistQuery,
    @CurrentOrganizer() organizerId: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WaitlistEntryWithCustomerResponse[]> {
    const page = await this.waitlist.listForEvent(eventId, organizerId, query);
    const link = nextPageLink(`/events/${eventId}/waitlist`, { limit: page.limit, status: query.status }, page.nextCursor);
    if (link) void reply.header('Link', link);
    return page.entries.map(mapWaitlistEntryWithCustomer);
  }

  @Get('waitlist/:reference')
  @ApiOperation({ summary: 'A waiting-list entry, looked up by its reference: its status, its place in line, its offer' })
  @ApiReferenceParam('The waiting-list entry reference.')
  @ApiOkResponse({ type: WaitlistEntryResponse })
  @ApiErrors(ErrorCode.WaitlistEntryNotFound)
  async findOne(@Param('reference') reference: string): Promise<WaitlistEntryResponse> {
    return mapWaitlistEntry(await this.waitlist.findByReference(reference));
  }

  @Delete('waitlist/:reference')
  @PublicWrite()
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave the waiting list; an outstanding offer is released and its seats go to the next in line' })
  @ApiReferenceParam('The waiting-list entry reference.')
  @ApiNoContentResponse({ description: 'Withdrawn (also when it already was).' })
  @ApiErrors(ErrorCode.WaitlistEntryNotFound, ErrorCode.WaitlistEntryClosed, ErrorCode.BusyTryAgain)
  async withdraw(@Param('reference') reference: string): Promise<void> {
    await this.waitlist.withdraw(reference);
  }
}
