import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

const CHECKS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } } },
  example: { database: { status: 'up' } },
};

/** Terminus's answer, for the OpenAPI document: each check by name with its status. */
export class HealthReport {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status!: string;

  @ApiProperty({ ...CHECKS, description: 'Checks that passed.' })
  info!: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, description: 'Checks that failed.' })
  error!: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, description: 'Every check.' })
  details!: Record<string, unknown>;
}
