import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ErrorCode } from '../../common/error-code.js';
import { NormalisedName } from '../../common/names.js';
import { MAX_SEATS } from '../../events/dto/create-event.dto.js';

/**
 * What the rules of a seat request (a booking or a hold, which share this body and its checks) can
 * refuse it with; what the body, the rate limit and the Idempotency-Key bring is documented with them.
 */
export const SEAT_REQUEST_ERRORS = [
  ErrorCode.EventNotFound,
  ErrorCode.EventInPast,
  ErrorCode.EventCancelled,
  ErrorCode.TicketCategoryNotFound,
  ErrorCode.QuantityAboveLimit,
  ErrorCode.SoldOut,
  ErrorCode.InsufficientSeats,
  ErrorCode.BusyTryAgain,
];

/**
 * The largest seat request a client honestly sends: its longest fields in four-byte characters (a
 * 100-character category, a 200-character name) and a 254-character e-mail come to about 1.5 KB.
 */
export const SEAT_REQUEST_BODY_LIMIT = 8 * 1024;

export class CreateBookingDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'General', description: 'The category name, matched ignoring case, surrounding spaces and Unicode normalisation.' })
  @NormalisedName()
  @IsString()
  @Length(1, 100)
  ticket_category!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_SEATS, example: 2 })
  @IsInt()
  @Min(1)
  @Max(MAX_SEATS)
  quantity!: number;

  @ApiPropertyOptional({ maxLength: 200, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  customer_name?: string;

  @ApiPropertyOptional({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  customer_email?: string;
}
