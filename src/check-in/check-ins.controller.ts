import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/error-code.js';
import { BodyLimit } from '../http/body-limit.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { ApiErrors, ApiIdParam } from '../openapi/api-decorators.js';
import { CheckInService } from './check-in.service.js';
import { CheckInDto, CheckInResponse, CheckInSummaryResponse, mapCheckIn, mapCheckInSummary } from './check-in.dto.js';
import { DoorStaffOnly } from './door-staff.guard.js';

/** Door staff: a check-in body is one code. */
const CHECK_IN_BODY_LIMIT = 1024;

@ApiTags('check-in')
@Controller('events/:id/check-ins')
export class CheckInsController {
  constructor(private readonly checkIns: CheckInService) {}

  @Post()
  @BodyLimit(CHECK_IN_BODY_LIMIT)
  @HttpCode(200)
  @DoorStaffOnly()
  @Idempotent()
  @ApiOperation({ summary: 'Check a ticket in at the door (a scanner key of the event, or its organiser key); a ticket gets in once' })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: CheckInResponse, description: 'The first scan of a valid ticket.' })
  @ApiErrors(ErrorCode.TicketNotFound, ErrorCode.AlreadyCheckedIn, ErrorCode.TicketCancelled, ErrorCode.EventCancelled, ErrorCode.BusyTryAgain)
  async checkIn(@Param('id', ParseIdPipe) eventId: number, @Body() dto: CheckInDto): Promise<CheckInResponse> {
    return mapCheckIn(await this.checkIns.checkIn(eventId, dto.code));
  }

  @Get('summary')
  @DoorStaffOnly()
  @ApiOperation({ summary: 'How many valid tickets there are and how many are in, per category' })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: CheckInSummaryResponse })
  @ApiErrors()
  async summary(@Param('id', ParseIdPipe) eventId: number): Promise<CheckInSummaryResponse> {
    return mapCheckInSummary(await this.checkIns.summary(eventId));
  }

  @Delete(':code')
  @HttpCode(204)
  @DoorStaffOnly()
  @ApiOperation({ summary: 'Undo a mistaken check-in: the ticket may get in again' })
  @ApiIdParam('The event id.')
  @ApiParam({ name: 'code', schema: { type: 'string', minLength: 1, maxLength: 64 }, description: 'The ticket code.' })
  @ApiNoContentResponse({ description: 'The ticket is no longer checked in.' })
  @ApiErrors(ErrorCode.TicketNotFound, ErrorCode.EventCancelled)
  async undo(@Param('id', ParseIdPipe) eventId: number, @Param('code') code: string): Promise<void> {
    await this.checkIns.undo(eventId, code);
  }
}
