import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { routeOf } from '../http-adapter.js';
import { MetricsService } from './metrics.service.js';

/**
 * Counts every answered request at the Fastify level, so that answers given before any Nest
 * handler runs (unknown route, malformed or oversized body) are counted too.
 */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    // An application context without HTTP (npm run seed) has nothing to count.
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (!adapter) return;
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.metrics.recordHttpRequest(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
}
