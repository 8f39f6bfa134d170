import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  HasUniqueNamesIgnoringCase,
  IsInTheFuture,
  IsNotBlank,
  IsNotGreaterThanProperty,
  IsPrice,
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

  @ApiProperty({ minimum: 0, maximum: MAX_PRICE, multipleOf: 0.01, example: 50, description: 'Exact to the cent.' })
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
