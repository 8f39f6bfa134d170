import { IsEmail, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { MAX_SEATS } from '../../events/dto/create-event.dto.js';

export class CreateBookingDto {
  @IsString()
  @Length(1, 100)
  ticket_category!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_SEATS)
  quantity!: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  customer_name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  customer_email?: string;
}
