import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { ListEventsQuery } from '../../events/dto/list-events.query.js';
import { BookingStatus } from '../../inventory/booking.entity.js';

/** Paged like GET /events (limit, cursor), optionally only bookings in one status. */
export class ListBookingsQuery extends ListEventsQuery {
  @ApiPropertyOptional({ enum: BookingStatus })
  @IsOptional()
  @IsEnum(BookingStatus)
  status?: BookingStatus;
}
