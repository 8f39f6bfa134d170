import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Global,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  UseGuards,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ErrorCode } from '../common/error-code.js';
import type { Environment } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ApiErrors } from '../openapi/api-decorators.js';
import { createPublicWriteLimit, type PublicWriteLimit } from './public-write-limit.js';
import { connectRedis } from './redis-connection.js';

/** An outage fails every request: one warning a minute says it without flooding the log. */
const WARNING_INTERVAL_MS = 60_000;

/**
 * RATE_LIMIT_PER_MINUTE public writes per client address (see client-address.ts), counted in Redis
 * when REDIS_URL is set — one budget across all instances — and in this process's memory when it
 * is not. 0 turns it off. If Redis cannot be reached the writes pass, counted by the metric
 * rate_limit_store_errors_total, until it answers again.
 */
@Injectable()
export class PublicWriteLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private limit: PublicWriteLimit = async () => {};
  private redis: Redis | undefined;
  private lastWarningAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    const perMinute = this.config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
    // An application context without HTTP (npm run seed) has no requests to limit.
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (perMinute === 0 || !adapter) return;
    const redisUrl = this.config.get('REDIS_URL', { infer: true });
    this.redis = redisUrl === null ? undefined : await connectRedis(redisUrl, (error) => this.warn(error));
    this.limit = await createPublicWriteLimit(adapter.getInstance<FastifyInstance>(), {
      perMinute,
      redis: this.redis,
      onStoreError: (error) => {
        this.metrics.recordRateLimitStoreError();
        this.warn(error);
      },
    });
  }

  take(request: FastifyRequest): Promise<void> {
    return this.limit(request);
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarningAt < WARNING_INTERVAL_MS) return;
    this.lastWarningAt = now;
    this.logger.warn(`Redis cannot be reached, public writes pass without a rate limit until it answers: ${(error as Error).message}`);
  }
}

/** Guards share the one PublicWriteLimiter, however many instances of the guard Nest makes. */
@Injectable()
export class PublicWriteRateLimit implements CanActivate {
  constructor(private readonly limiter: PublicWriteLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.limiter.take(context.switchToHttp().getRequest<FastifyRequest>());
    return true;
  }
}

@Global()
@Module({ providers: [PublicWriteLimiter, PublicWriteRateLimit], exports: [PublicWriteLimiter, PublicWriteRateLimit] })
export class RateLimitModule {}

/** A public write endpoint: limited per client address, answered 429 RATE_LIMITED with Retry-After (and so documented). */
export function PublicWrite(): MethodDecorator {
  return applyDecorators(UseGuards(PublicWriteRateLimit), ApiErrors(ErrorCode.RateLimited));
}
