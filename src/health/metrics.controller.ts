import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEdgeErrorsOnly } from '../openapi/api-decorators.js';
import { MetricsService } from '../metrics/metrics.service.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics', description: 'The text exposition format; see the README for what each metric means.' })
  @ApiOkResponse({ description: 'Metrics in the Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiEdgeErrorsOnly()
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
