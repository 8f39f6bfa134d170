import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsPrice, IsZonedIsoDateTime, MAX_PRICE } from '../../common/validators.js';
import { CodeCategories, MAX_CODE_USES } from './create-code.dto.js';

/**
 * A change of a code: a field left out stays as it is, null removes it. Its code and kind do not
 * change; the code as changed must still follow the rules of creation.
 */
export class UpdateCodeDto {
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  discount_percent?: number | null;

  @ApiPropertyOptional({ type: 'number', nullable: true, minimum: 0.01, maximum: MAX_PRICE })
  @IsOptional()
  @IsPrice()
  @Min(0.01)
  discount_amount?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: MAX_CODE_USES, description: 'Never below the uses already counted; null removes the limit.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CODE_USES)
  max_uses?: number | null;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  valid_from?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  valid_until?: string | null;

  @CodeCategories('The categories it applies to, by name; null for every category of the event.', true)
  ticket_categories?: string[] | null;
}
