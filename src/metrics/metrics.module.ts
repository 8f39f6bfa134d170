import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service.js';

/**
 * Global so that the services being measured (bookings, transactions) can record without importing
 * it. The scrape route is an operations endpoint beside the health probes (`health/`): a route
 * needs the OpenAPI decorators, which build on `http/`, and `http/` records into this module.
 */
@Global()
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
