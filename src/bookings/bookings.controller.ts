import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/error-code.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { ApiErrors, ApiIdParam, JSON_BODY_ERRORS } from '../openapi/api-decorators.js';
import { BookingResponse, mapBooking } from './booking.mapper.js';
import { BookingsService } from './bookings.service.js';
import { CreateBookingDto } from './dto/create-booking.dto.js';

@ApiTags('bookings')
@Controller()
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post('events/:id/book')
  @ApiOperation({ summary: 'Book seats in one ticket category of an event' })
  @ApiIdParam('The event id.')
  @ApiCreatedResponse({ type: BookingResponse })
  @ApiErrors(
    ErrorCode.ValidationFailed,
    ...JSON_BODY_ERRORS,
    ErrorCode.EventNotFound,
    ErrorCode.EventInPast,
    ErrorCode.TicketCategoryNotFound,
    ErrorCode.SoldOut,
    ErrorCode.InsufficientSeats,
    ErrorCode.BusyTryAgain,
  )
  async book(@Param('id', ParseIdPipe) eventId: number, @Body() dto: CreateBookingDto): Promise<BookingResponse> {
    return mapBooking(await this.bookings.book(eventId, dto));
  }
}
