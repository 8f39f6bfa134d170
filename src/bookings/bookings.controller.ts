import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { mapBooking, type BookingResponse } from './booking.mapper.js';
import { BookingsService } from './bookings.service.js';
import { CreateBookingDto } from './dto/create-booking.dto.js';

@Controller()
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post('events/:id/book')
  async book(@Param('id', ParseIdPipe) eventId: number, @Body() dto: CreateBookingDto): Promise<BookingResponse> {
    return mapBooking(await this.bookings.book(eventId, dto));
  }

  @Get('bookings/:reference')
  async findOne(@Param('reference') reference: string): Promise<BookingResponse> {
    return mapBooking(await this.bookings.findByReference(reference));
  }

  @Post('bookings/:reference/cancel')
  @HttpCode(200)
  async cancel(@Param('reference') reference: string): Promise<BookingResponse> {
    return mapBooking(await this.bookings.cancel(reference));
  }
}
