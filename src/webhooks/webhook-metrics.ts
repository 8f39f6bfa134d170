import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** What became of one attempt to deliver a message. */
export type DeliveryAttemptOutcome = 'delivered' | 'retrying' | 'failed' | 'endpoint_gone';

/** The webhook metrics, registered beside the service's others. */
@Injectable()
export class WebhookMetrics {
  private readonly deliveries: Counter<'outcome'>;
  private readonly lag: Histogram;

  constructor(metrics: MetricsService, repository: WebhooksRepository) {
    const registers = [metrics.registry];
    this.deliveries = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Attempts to deliver a webhook message, by outcome: delivered, retrying (will try again), failed (gave up), endpoint_gone (410, endpoint disabled).',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.lag = new Histogram({
      name: 'webhook_delivery_lag_seconds',
      help: 'From the commit of the change a message announces to its receiver answering 2xx.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 21_600],
      registers,
    });
    new Gauge({
      name: 'webhook_outbox_pending',
      help: 'Messages not yet fanned out to endpoints, plus deliveries neither delivered nor given up on.',
      registers,
      async collect() {
        this.set(await repository.pendingCount());
      },
    });
  }

  recordAttempt(outcome: DeliveryAttemptOutcome, lagSeconds?: number): void {
    this.deliveries.inc({ outcome });
    if (lagSeconds !== undefined) this.lag.observe(lagSeconds);
  }
}
