import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';

/** The operations endpoints: the health probes, and the Prometheus scrape of the global MetricsService. */
@Module({
  imports: [TerminusModule],
  controllers: [MetricsController, HealthController],
})
export class HealthModule {}
