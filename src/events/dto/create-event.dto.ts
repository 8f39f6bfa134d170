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
} from '../../common/validators.js';

export const MAX_SEATS = 1_000_000;
export const MAX_PER_BOOKING = 1_000;

export class CreateTicketCategoryDto {
  @IsString()
  @Length(1, 100)
  @IsNotBlank()
  name!: string;

  @IsPrice()
  price!: number;

  @IsInt()
  @Min(1)
  @Max(MAX_SEATS)
  seats_limit!: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEATS)
  @IsNotGreaterThanProperty('seats_limit')
  seats_sold?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PER_BOOKING)
  max_per_booking?: number;
}

export class CreateEventDto {
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  name!: string;

  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  venue!: string;

  @IsString()
  @IsZonedIsoDateTime()
  @IsInTheFuture()
  date!: string;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  details?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @HasUniqueNamesIgnoringCase()
  @ValidateNested({ each: true })
  @Type(() => CreateTicketCategoryDto)
  ticket_categories!: CreateTicketCategoryDto[];
}
