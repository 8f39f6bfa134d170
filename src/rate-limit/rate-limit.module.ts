import { applyDecorators, type CanActivate, type ExecutionContext, Global, Injectable, Module, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { RateLimitedError } from '../common/domain-error.js';
import type { Environment } from '../config/environment.js';

const WINDOW_MS = 60_000;

interface Window {
  startedAt: number;
  requests: number;
}

/**
 * RATE_LIMIT_PER_MINUTE public writes per client address, in fixed one-minute windows counted in
 * this process's memory: with several instances each counts alone (see docs/SCALING.md for a
 * shared store). 0 turns it off. The client address is Fastify's request.ip, which honours
 * TRUSTED_PROXIES.
 */
@Injectable()
export class RateLimiter {
  private readonly limit: number;
  private readonly windows = new Map<string, Window>();

  constructor(config: ConfigService<Environment, true>) {
    this.limit = config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
  }

  /** Counts one request from the client, or refuses it with how long to wait. */
  take(client: string, now = Date.now()): void {
    if (this.limit === 0) return;
    const window = this.currentWindow(client, now);
    window.requests += 1;
    if (window.requests > this.limit) {
      throw new RateLimitedError(Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
    }
  }

  private currentWindow(client: string, now: number): Window {
    const existing = this.windows.get(client);
    if (existing && now - existing.startedAt < WINDOW_MS) return existing;
    if (!existing) this.forgetFinishedWindows(now);
    const fresh = { startedAt: now, requests: 0 };
    this.windows.set(client, fresh);
    return fresh;
  }

  /** Keeps memory bounded by the clients of the last minute, whatever the traffic's history. */
  private forgetFinishedWindows(now: number): void {
    if (this.windows.size < 10_000) return;
    for (const [client, window] of this.windows) {
      if (now - window.startedAt >= WINDOW_MS) this.windows.delete(client);
    }
  }
}

/** Guards share the one RateLimiter, however many instances of the guard Nest makes. */
@Injectable()
export class PublicWriteRateLimit implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    this.limiter.take(context.switchToHttp().getRequest<FastifyRequest>().ip);
    return true;
  }
}

@Global()
@Module({ providers: [RateLimiter, PublicWriteRateLimit], exports: [RateLimiter, PublicWriteRateLimit] })
export class RateLimitModule {}

/** A public write endpoint: limited per client address, answered 429 RATE_LIMITED with Retry-After. */
export function PublicWrite(): MethodDecorator {
  return applyDecorators(UseGuards(PublicWriteRateLimit));
}
