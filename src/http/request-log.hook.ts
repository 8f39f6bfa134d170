import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { onEveryResponse, routeOf } from './http-adapter.js';
import { ROOT_LOGGER } from '../logging/app-logger.js';
import { activeTraceId } from '../tracing/trace-context.js';
import { unhandledErrorOf } from './unhandled-errors.js';

/** Probed every few seconds by orchestrators and scrapers: a line for each would drown the rest. */
const UNLOGGED_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * One line per answered request — method, route template, status, duration, request id — also for
 * answers given before any Nest handler runs (see onEveryResponse). A 5xx is logged at error level;
 * a 500 adds the error_id its body carries and the error with its stack. Nothing is built when the
 * level is off.
 */
@Injectable()
export class RequestLogHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly root: Logger,
  ) {}

  onModuleInit(): void {
    onEveryResponse(this.adapterHost, (request, reply) => this.logRequest(request, reply));
  }

  private logRequest(request: FastifyRequest, reply: FastifyReply): void {
    const failed = reply.statusCode >= 500;
    if (!this.root.isLevelEnabled(failed ? 'error' : 'info')) return;
    const route = routeOf(request);
    if (UNLOGGED_ROUTES.has(route)) return;
    const fields = {
      request_id: request.id,
      method: request.method,
      route,
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 10) / 10,
      trace_id: activeTraceId(),
    };
    if (!failed) {
      this.root.info(fields, 'request completed');
      return;
    }
    const unhandled = unhandledErrorOf(reply.raw);
    this.root.error({ ...fields, error_id: unhandled?.errorId, err: unhandled?.error }, 'request failed');
  }
}
