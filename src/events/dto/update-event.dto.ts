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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { NormalisedName } from '../../common/names.js';
import { HasUniqueNamesIgnoringCase, IsInTheFuture, IsNotBlank, IsPrice, IsTimeZone, IsZonedIsoDateTime, MAX_PRICE } from '../../common/validators.js';
import { MAX_CATEGORIES, MAX_PER_BOOKING, MAX_SEATS } from './create-event.dto.js';

/** Present means "change it"; null is not a value these fields can take. */
const IfPresent = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

export class UpdateTicketCategoryDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'VIP', description: 'An existing name (ignoring case, trimmed, in Unicode NFC) changes that category; a new one adds a category.' })
  @NormalisedName()
  @IsString()
  @Length(1, 100)
  @IsNotBlank()
  name!: string;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_PRICE, multipleOf: 0.01, description: "Required for a new category; applies to later bookings only. Exact to the minor unit of the event's currency." })
  @IfPresent()
  @IsPrice()
  price?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_SEATS, description: 'Required for a new category; never below seats sold + held.' })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(MAX_SEATS)
  seats_limit?: number;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: MAX_PER_BOOKING, description: 'null removes the limit.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PER_BOOKING)
  max_per_booking?: number | null;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true, description: 'null opens sales from publication.' })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  sales_start?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true, description: "Later than sales_start, not after the event's date; null keeps sales open until the event." })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  sales_end?: string | null;

  @ApiPropertyOptional({ description: 'true hides the category from public answers; only an access code unlocks it then.' })
  @IfPresent()
  @IsBoolean()
  hidden?: boolean;
}

export class UpdateEventDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IfPresent()
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IfPresent()
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  venue?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 10_000, description: 'null removes the details.' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  details?: string | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: MAX_PER_BOOKING, description: 'Most tickets one booking or hold may take over all its lines; null removes the limit (1,000 apply).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PER_BOOKING)
  max_tickets_per_booking?: number | null;

  @ApiPropertyOptional({ maxLength: 64, example: 'Europe/Berlin', description: 'An IANA time zone name; changes how the dates read, not when the event is.' })
  @IfPresent()
  @IsString()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'ISO 8601 with a zone; strictly in the future.' })
  @IfPresent()
  @IsString()
  @IsZonedIsoDateTime()
  @IsInTheFuture()
  date?: string;

  @ApiPropertyOptional({ type: [UpdateTicketCategoryDto], description: 'Categories to change or add; a category is never deleted.' })
  @IfPresent()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CATEGORIES)
  @HasUniqueNamesIgnoringCase()
  @ValidateNested({ each: true })
  @Type(() => UpdateTicketCategoryDto)
  ticket_categories?: UpdateTicketCategoryDto[];
}
