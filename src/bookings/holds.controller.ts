import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { mapBooking, type BookingResponse } from './booking.mapper.js';
import { CreateBookingDto } from './dto/create-booking.dto.js';
import { mapHold, type HoldResponse } from './hold.mapper.js';
import { HoldsService } from './holds.service.js';

@Controller()
export class HoldsController {
  constructor(private readonly holds: HoldsService) {}

  @Post('events/:id/holds')
  async create(@Param('id', ParseIdPipe) eventId: number, @Body() dto: CreateBookingDto): Promise<HoldResponse> {
    return mapHold(await this.holds.create(eventId, dto));
  }

  /** 201 when this call made the booking; 200 with the same booking when it already existed. */
  @Post('holds/:reference/confirm')
  async confirm(@Param('reference') reference: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<BookingResponse> {
    const { booking, created } = await this.holds.confirm(reference);
    if (!created) void reply.status(200);
    return mapBooking(booking);
  }

  @Delete('holds/:reference')
  @HttpCode(204)
  async release(@Param('reference') reference: string): Promise<void> {
    await this.holds.release(reference);
  }
}
