import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { ListEventsQuery } from '../../events/dto/list-events.query.js';
import { WaitlistStatus } from '../../inventory/waitlist-entry.entity.js';

/** Paged like GET /events (limit, cursor), optionally only entries in one status. */
export class ListWaitlistQuery extends ListEventsQuery {
  @ApiPropertyOptional({ enum: WaitlistStatus })
  @IsOptional()
  @IsEnum(WaitlistStatus)
  status?: WaitlistStatus;
}
