import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ErrorCode } from '../../common/error-code.js';
import { NormalisedName } from '../../common/names.js';
import { MAX_PER_BOOKING } from '../../events/dto/create-event.dto.js';

/** What joining can be refused with beyond the body, the rate limit and the Idempotency-Key. */
export const JOIN_ERRORS = [
  ErrorCode.EventNotFound,
  ErrorCode.EventInPast,
  ErrorCode.EventCancelled,
  ErrorCode.TicketCategoryNotFound,
  ErrorCode.SalesNotStarted,
  ErrorCode.SalesEnded,
  ErrorCode.QuantityAboveLimit,
  ErrorCode.SeatsAvailable,
  ErrorCode.BusyTryAgain,
];

/** A place in line for seats of one category; the e-mail is how the organiser tells the buyer of an offer. */
export class JoinWaitlistDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'General', description: 'The category name, matched ignoring case, surrounding spaces and Unicode normalisation.' })
  @NormalisedName()
  @IsString()
  @Length(1, 100)
  ticket_category!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PER_BOOKING, example: 2, description: "Seats wanted together; at most the category's max_per_booking and the event's max_tickets_per_booking." })
  @IsInt()
  @Min(1)
  @Max(MAX_PER_BOOKING)
  quantity!: number;

  @ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  customer_email!: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  customer_name?: string;
}
