import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { MAX_SEATS } from '../../events/dto/create-event.dto.js';

export class CreateBookingDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'General', description: 'The category name, matched ignoring case.' })
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
