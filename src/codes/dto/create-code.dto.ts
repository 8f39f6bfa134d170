import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { normaliseName } from '../../common/names.js';
import { IsAbsentWith, IsLaterThanProperty, IsPrice, IsZonedIsoDateTime, MAX_PRICE } from '../../common/validators.js';
import { MAX_CATEGORIES } from '../../events/dto/create-event.dto.js';
import { CodeKind } from '../../inventory/event-code.entity.js';

/** What a code is made of: 4–40 letters, digits, hyphens and underscores, matched ignoring case. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{4,40}$/;

export const MAX_CODE_USES = 1_000_000;

/** 50 category names of 100 four-byte characters and the other fields come to about 21 KB. */
export const CODE_BODY_LIMIT = 32 * 1024;

/** Names of the event's categories, each once (ignoring case), trimmed and in Unicode NFC. */
export function CodeCategories(description: string, nullable: boolean): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], nullable, minItems: 1, maxItems: MAX_CATEGORIES, example: ['VIP'], description }),
    Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((name: unknown) => (typeof name === 'string' ? normaliseName(name) : name)) : value)),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_CATEGORIES),
    IsString({ each: true }),
    Length(1, 100, { each: true }),
  );
}

export class CreateCodeDto {
  @ApiProperty({ minLength: 4, maxLength: 40, pattern: CODE_PATTERN.source, example: 'SUMMER25', description: 'Letters, digits, - and _; unique within the event, ignoring case; stored in capitals.' })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'code must be 4–40 characters of A–Z, 0–9, - and _' })
  code!: string;

  @ApiProperty({ enum: CodeKind, example: CodeKind.Discount, description: 'discount: takes money off; access: unlocks the hidden categories it applies to (and may take money off too).' })
  @IsEnum(CodeKind)
  kind!: CodeKind;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, example: 25, description: 'Percent off each ticket it applies to, in whole minor units rounded half up. A discount code has this or discount_amount, not both.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  discount_percent?: number;

  @ApiPropertyOptional({ minimum: 0.01, maximum: MAX_PRICE, description: "Amount off each ticket it applies to, in the event's currency and exact to its minor unit; at most the price of every category it applies to." })
  @IsOptional()
  @IsPrice()
  @Min(0.01)
  @IsAbsentWith(['discount_percent'])
  discount_amount?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_CODE_USES, description: 'Bookings (and holds) that may use it; no limit when left out.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CODE_USES)
  max_uses?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Usable from this instant on (inclusive); ISO 8601 with a zone.' })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  valid_from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Usable until this instant (exclusive); ISO 8601 with a zone, later than valid_from.' })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  @IsLaterThanProperty('valid_from')
  valid_until?: string;

  @CodeCategories('The categories it applies to (an access code: the hidden ones it unlocks), by name; every category of the event, later ones too, when left out.', false)
  ticket_categories?: string[];
}
