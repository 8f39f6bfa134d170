import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { onEveryResponse, routeOf } from './http-adapter.js';
import { MetricsService } from '../metrics/metrics.service.js';

/** Counts every answered request by method, route template and status, with its duration. */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    onEveryResponse(this.adapterHost, (request, reply) => {
      this.metrics.recordHttpRequest(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
    });
  }
}
