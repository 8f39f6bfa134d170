import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_PATTERN } from '../../common/currency.js';
import {
  HasUniqueNamesIgnoringCase,
  IsCurrency,
  IsInTheFuture,
  IsLaterThanProperty,
  IsNotBlank,
  IsNotGreaterThanProperty,
  IsPrice,
  IsTimeZone,
  IsZonedIsoDateTime,
  MAX_PRICE,
} from '../../common/validators.js';
import { NormalisedName } from '../../common/names.js';

export const MAX_SEATS = 1_000_000;
export const MAX_PER_BOOKING = 1_000;
export const MAX_CATEGORIES = 50;

/**
 * The largest event a client honestly sends (for creation or a PATCH): 10,000 characters of details
 * and 50 categories with 100-character names, all in four-byte characters, come to about 67 KB.
 */
export const EVENT_BODY_LIMIT = 128 * 1024;

/** A date a year ahead at 18:00 UTC, so that the example body in Swagger UI can be sent as it is. */
function exampleFutureDate(): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  date.setUTCHours(18, 0, 0, 0);
  return date.toISOString().replace('.000Z', 'Z');
}

export class CreateTicketCategoryDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'General', description: 'Unique within the event, ignoring case; stored trimmed, in Unicode NFC.' })
  @NormalisedName()
  @IsString()
  @Length(1, 100)
  @IsNotBlank()
  name!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_PRICE, multipleOf: 0.01, example: 50, description: "In the event's currency, exact to its minor unit (whole numbers for JPY)." })
  @IsPrice()
  price!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_SEATS, example: 100 })
  @IsInt()
  @Min(1)
  @Max(MAX_SEATS)
  seats_limit!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_SEATS, description: 'Seats already sold elsewhere; 0 when left out. At most seats_limit.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEATS)
  @IsNotGreaterThanProperty('seats_limit')
  seats_sold?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PER_BOOKING, description: 'Most seats one booking or hold may take.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PER_BOOKING)
  max_per_booking?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Sales open at this instant (inclusive); ISO 8601 with a zone. Open from publication when left out.' })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  sales_start?: string;

  @ApiPropertyOptional({ format: 'date-time', description: "Sales close at this instant (exclusive): later than sales_start, not after the event's date. Open until the event when left out." })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  @IsLaterThanProperty('sales_start')
  sales_end?: string;

  @ApiPropertyOptional({ description: 'Left out of public answers and bookable only with an access code that unlocks it; false when left out.' })
  @IsOptional()
  @IsBoolean()
  hidden?: boolean;
}

export class CreateEventDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Music Concert' })
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  name!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Stadium A' })
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  venue!: string;

  @ApiProperty({ format: 'date-time', example: exampleFutureDate(), description: 'In the future, with a zone (Z or ±HH:MM).' })
  @IsString()
  @IsZonedIsoDateTime()
  @IsInTheFuture()
  date!: string;

  @ApiPropertyOptional({ maxLength: 10_000, example: 'A great music concert.' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  details?: string;

  @ApiPropertyOptional({ maxLength: 64, example: 'Europe/Berlin', description: "The IANA time zone where the event takes place (local_date reads its date there); UTC when left out." })
  @IsOptional()
  @IsString()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ pattern: CURRENCY_PATTERN, example: 'EUR', description: 'ISO 4217, in capitals: every price of the event is in it, exact to its minor unit. DEFAULT_CURRENCY (EUR) when left out; it cannot be changed later.' })
  @IsOptional()
  @IsString()
  @IsCurrency()
  currency?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PER_BOOKING, description: 'Most tickets one booking or hold may take over all its lines; 1,000 when not set.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PER_BOOKING)
  max_tickets_per_booking?: number;

  @ApiProperty({
    type: [CreateTicketCategoryDto],
    minItems: 1,
    maxItems: 50,
    example: [
      { name: 'General', price: 50, seats_limit: 100 },
      { name: 'VIP', price: 150, seats_limit: 50 },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CATEGORIES)
  @HasUniqueNamesIgnoringCase()
  @ValidateNested({ each: true })
  @Type(() => CreateTicketCategoryDto)
  ticket_categories!: CreateTicketCategoryDto[];
}
