import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/error-code.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { ApiErrors, ApiIdempotencyKey, ApiIdParam, ApiReferenceParam, IDEMPOTENCY_ERRORS, JSON_BODY_ERRORS } from '../openapi/api-decorators.js';
import { BookingResponse, mapBooking } from './booking.mapper.js';
import { BookingsService } from './bookings.service.js';
import { CreateBookingDto } from './dto/create-booking.dto.js';

@ApiTags('bookings')
@Controller()
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post('events/:id/book')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Book seats in one ticket category of an event (hold and confirm in one step)' })
  @ApiIdParam('The event id.')
  @ApiCreatedResponse({ type: BookingResponse })
  @ApiErrors(
    ErrorCode.ValidationFailed,
    ...JSON_BODY_ERRORS,
    ErrorCode.EventNotFound,
    ErrorCode.EventInPast,
    ErrorCode.TicketCategoryNotFound,
    ErrorCode.QuantityAboveLimit,
    ErrorCode.SoldOut,
    ErrorCode.InsufficientSeats,
    ErrorCode.BusyTryAgain,
    ...IDEMPOTENCY_ERRORS,
  )
  async book(@Param('id', ParseIdPipe) eventId: number, @Body() dto: CreateBookingDto): Promise<BookingResponse> {
    return mapBooking(await this.bookings.book(eventId, dto));
  }

  @Get('bookings/:reference')
  @ApiOperation({ summary: 'A booking, looked up by its reference' })
  @ApiReferenceParam('The booking reference.')
  @ApiOkResponse({ type: BookingResponse })
  @ApiErrors(ErrorCode.BookingNotFound)
  async findOne(@Param('reference') reference: string): Promise<BookingResponse> {
    return mapBooking(await this.bookings.findByReference(reference));
  }

  @Post('bookings/:reference/cancel')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a booking; its seats return. Cancelling again answers the same result.' })
  @ApiReferenceParam('The booking reference.')
  @ApiOkResponse({ type: BookingResponse })
  @ApiErrors(ErrorCode.BookingNotFound, ErrorCode.EventInPast, ErrorCode.BusyTryAgain, ...IDEMPOTENCY_ERRORS)
  async cancel(@Param('reference') reference: string): Promise<BookingResponse> {
    return mapBooking(await this.bookings.cancel(reference));
  }
}
