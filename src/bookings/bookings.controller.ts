import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/error-code.js';
import { BodyLimit } from '../http/body-limit.js';
import { nextPageLink } from '../http/next-page-link.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { PublicWrite } from '../rate-limit/rate-limit.module.js';
import { ApiErrors, ApiIdParam, ApiReferenceParam } from '../openapi/api-decorators.js';
import { BookingResponse, BookingSummaryResponse, mapBooking, mapBookingSummary } from './booking.mapper.js';
import { BookingsService } from './bookings.service.js';
import { ApiSeatRequestBody, CreateBookingDto, SEAT_REQUEST_BODY_LIMIT, SEAT_REQUEST_ERRORS } from './dto/create-booking.dto.js';
import { ListBookingsQuery } from './dto/list-bookings.query.js';
import { CurrentOrganizer, OrganizerOnly } from '../organizers/organizer.guard.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('bookings')
@Controller()
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post('events/:id/book')
  @BodyLimit(SEAT_REQUEST_BODY_LIMIT)
  @PublicWrite()
  @Idempotent()
  @ApiOperation({ summary: 'Book seats of one or several ticket categories of an event, all or none (hold and confirm in one step)' })
  @ApiIdParam('The event id.')
  @ApiSeatRequestBody()
  @ApiCreatedResponse({ type: BookingResponse })
  @ApiErrors(...SEAT_REQUEST_ERRORS)
  async book(@Param('id', ParseIdPipe) eventId: number, @Body() dto: CreateBookingDto): Promise<BookingResponse> {
    return mapBooking(await this.bookings.book(eventId, dto));
  }

  @Get('events/:id/bookings')
  @OrganizerOnly()
  @ApiOperation({ summary: "An event's bookings with their customers, oldest first (the event's organiser only)" })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: [BookingSummaryResponse], description: 'Each booking without its tickets (look one up by reference for them, or download the attendee list).' })
  @ApiErrors(ErrorCode.EventNotFound)
  async listForEvent(
    @Param('id', ParseIdPipe) eventId: number,
    @Query() query: ListBookingsQuery,
    @CurrentOrganizer() organizerId: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingSummaryResponse[]> {
    const page = await this.bookings.listForEvent(eventId, organizerId, query);
    const link = nextPageLink(`/events/${eventId}/bookings`, { limit: page.limit, status: query.status }, page.nextCursor);
    if (link) void reply.header('Link', link);
    return page.bookings.map(mapBookingSummary);
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
  @PublicWrite()
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a booking; its seats return. Cancelling again answers the same result.' })
  @ApiReferenceParam('The booking reference.')
  @ApiOkResponse({ type: BookingResponse })
  @ApiErrors(ErrorCode.BookingNotFound, ErrorCode.EventInPast, ErrorCode.BusyTryAgain)
  async cancel(@Param('reference') reference: string): Promise<BookingResponse> {
    return mapBooking(await this.bookings.cancel(reference));
  }
}
