import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../common/error-code.js';
import { BodyLimit } from '../http/body-limit.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { PublicWrite } from '../rate-limit/rate-limit.module.js';
import { ApiErrors, ApiIdParam, ApiReferenceParam } from '../openapi/api-decorators.js';
import { BookingResponse, mapBooking } from './booking.mapper.js';
import { ApiSeatRequestBody, CreateBookingDto, SEAT_REQUEST_BODY_LIMIT, SEAT_REQUEST_ERRORS } from './dto/create-booking.dto.js';
import { HoldResponse, mapHold } from './hold.mapper.js';
import { HoldsService } from './holds.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('holds')
@Controller()
export class HoldsController {
  constructor(private readonly holds: HoldsService) {}

  @Post('events/:id/holds')
  @BodyLimit(SEAT_REQUEST_BODY_LIMIT)
  @PublicWrite()
  @Idempotent()
  @ApiOperation({ summary: 'Hold seats for HOLD_TTL_SECONDS while the buyer pays; same checks as a booking' })
  @ApiIdParam('The event id.')
  @ApiSeatRequestBody()
  @ApiCreatedResponse({ type: HoldResponse })
  @ApiErrors(...SEAT_REQUEST_ERRORS)
  async create(@Param('id', ParseIdPipe) eventId: number, @Body() dto: CreateBookingDto): Promise<HoldResponse> {
    return mapHold(await this.holds.create(eventId, dto));
  }

  /** 201 when this call made the booking; 200 with the same booking when it already existed. */
  @Post('holds/:reference/confirm')
  @PublicWrite()
  @Idempotent()
  @ApiOperation({ summary: 'Turn a hold into a booking: its seats move from held to sold' })
  @ApiReferenceParam('The hold reference.')
  @ApiCreatedResponse({ type: BookingResponse, description: 'The booking was made by this call.' })
  @ApiOkResponse({ type: BookingResponse, description: 'The hold had already been confirmed: the same booking.' })
  @ApiErrors(ErrorCode.HoldNotFound, ErrorCode.HoldExpired, ErrorCode.EventInPast, ErrorCode.EventCancelled, ErrorCode.BusyTryAgain)
  async confirm(@Param('reference') reference: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<BookingResponse> {
    const { booking, created } = await this.holds.confirm(reference);
    if (!created) void reply.status(200);
    return mapBooking(booking);
  }

  @Delete('holds/:reference')
  @PublicWrite()
  @HttpCode(204)
  @ApiOperation({ summary: 'Release a hold; its seats are free at once' })
  @ApiReferenceParam('The hold reference.')
  @ApiNoContentResponse({ description: 'Released.' })
  @ApiErrors(ErrorCode.HoldNotFound, ErrorCode.HoldAlreadyConfirmed, ErrorCode.BusyTryAgain)
  async release(@Param('reference') reference: string): Promise<void> {
    await this.holds.release(reference);
  }
}
