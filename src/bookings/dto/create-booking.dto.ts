import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CODE_PATTERN } from '../../codes/dto/create-code.dto.js';
import { MAX_DECLARABLE_MEMBERS, MaxBodyMembers } from '../../common/body-shape.js';
import { ErrorCode } from '../../common/error-code.js';
import { NormalisedName } from '../../common/names.js';
import { HasUniqueNamesIgnoringCase, IsAbsentWith, IsNoLongerThanProperty } from '../../common/validators.js';
import { MAX_PER_BOOKING } from '../../events/dto/create-event.dto.js';

/**
 * What the rules of a seat request (a booking or a hold, which share this body and its checks) can
 * refuse it with; what the body, the rate limit and the Idempotency-Key bring is documented with them.
 */
export const SEAT_REQUEST_ERRORS = [
  ErrorCode.EventNotFound,
  ErrorCode.EventInPast,
  ErrorCode.EventCancelled,
  ErrorCode.CodeNotValid,
  ErrorCode.TicketCategoryNotFound,
  ErrorCode.CodeNotApplicable,
  ErrorCode.SalesNotStarted,
  ErrorCode.SalesEnded,
  ErrorCode.QuantityAboveLimit,
  ErrorCode.SoldOut,
  ErrorCode.InsufficientSeats,
  ErrorCode.CodeExhausted,
  ErrorCode.BusyTryAgain,
];

/** Most lines one order may have. */
export const MAX_ORDER_LINES = 20;

/**
 * The largest seat request a client honestly sends: 20 lines and a name for each of 1,000 tickets
 * (of about 50 characters) come to about 60 KB; a one-line request with its longest fields in
 * four-byte characters to about 1.5 KB.
 */
export const SEAT_REQUEST_BODY_LIMIT = 64 * 1024;

/** 20 lines of 3 fields, a name for each of 1,000 tickets, and the buyer's fields, with room to spare. */
export const SEAT_REQUEST_MEMBERS = MAX_DECLARABLE_MEMBERS;

/** Names for the tickets of a line, in both forms of the request. */
function AttendeeNames(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      maxItems: MAX_PER_BOOKING,
      example: ['Ada Lovelace', 'Charles Babbage'],
      description: "Names for the line's tickets, in order (1–200 characters each); at most `quantity`. Tickets beyond them have no name.",
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_PER_BOOKING),
    IsString({ each: true }),
    Length(1, 200, { each: true }),
    IsNoLongerThanProperty('quantity'),
  );
}

/** One line of an order: seats of one category. */
export class OrderItemDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'General', description: 'The category name, matched ignoring case, surrounding spaces and Unicode normalisation.' })
  @NormalisedName()
  @IsString()
  @Length(1, 100)
  ticket_category!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PER_BOOKING, example: 2 })
  @IsInt()
  @Min(1)
  @Max(MAX_PER_BOOKING)
  quantity!: number;

  @AttendeeNames()
  attendee_names?: string[];
}

const ONE_CATEGORY_FORM = ['ticket_category', 'quantity', 'attendee_names'] as const;

/**
 * A booking or a hold, in one of two forms: one category (`ticket_category`, `quantity`,
 * `attendee_names`) or several (`items`), never both and never neither.
 */
@MaxBodyMembers(SEAT_REQUEST_MEMBERS)
export class CreateBookingDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    example: 'General',
    description: 'One-category form: the category name, matched ignoring case, surrounding spaces and Unicode normalisation. Required unless `items` is sent.',
  })
  @ValidateIf((dto: CreateBookingDto) => dto.items === undefined)
  @NormalisedName()
  @IsString()
  @Length(1, 100)
  ticket_category?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PER_BOOKING, example: 2, description: 'One-category form: how many seats. Required unless `items` is sent.' })
  @ValidateIf((dto: CreateBookingDto) => dto.items === undefined)
  @IsInt()
  @Min(1)
  @Max(MAX_PER_BOOKING)
  quantity?: number;

  @AttendeeNames()
  attendee_names?: string[];

  @ApiPropertyOptional({
    type: [OrderItemDto],
    minItems: 1,
    maxItems: MAX_ORDER_LINES,
    description: 'Several categories in one order, all booked or none: instead of `ticket_category` and `quantity`. Category names distinct, ignoring case.',
  })
  @IsOptional()
  @IsAbsentWith(ONE_CATEGORY_FORM)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @HasUniqueNamesIgnoringCase('ticket_category')
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items?: OrderItemDto[];

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

  @ApiPropertyOptional({
    minLength: 4,
    maxLength: 40,
    pattern: CODE_PATTERN.source,
    description: 'A discount or access code of the event, in any case: it prices the lines it applies to and takes one of its uses.',
  })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: 'code must be 4–40 characters of A–Z, 0–9, - and _' })
  code?: string;
}

/**
 * The body of a booking or a hold with an example of each form. Without them, Swagger UI's "Try it
 * out" builds one body from every property, both forms at once, which the service refuses.
 */
export function ApiSeatRequestBody(): MethodDecorator {
  return ApiBody({
    type: CreateBookingDto,
    examples: {
      one_category: {
        summary: 'Seats of one category',
        value: { ticket_category: 'General', quantity: 2, attendee_names: ['Ada Lovelace', 'Charles Babbage'], customer_name: 'Ada Lovelace', customer_email: 'ada@example.com' },
      },
      several_categories: {
        summary: 'Seats of several categories, all or none',
        value: {
          items: [
            { ticket_category: 'General', quantity: 2 },
            { ticket_category: 'VIP', quantity: 1, attendee_names: ['Ada Lovelace'] },
          ],
          customer_email: 'ada@example.com',
        },
      },
    },
  });
}
