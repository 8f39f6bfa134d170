import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable, of } from 'rxjs';
import { maxMembersOf } from '../common/body-shape.js';
import { bodyTypeOf } from '../http/body-type.js';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';
import { IdempotencyStore } from './idempotency.store.js';

/** Makes a POST marked `@Idempotent()` safe to retry when the client sends an Idempotency-Key. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined) return next.handle();

    const key = parseIdempotencyKey(header);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // The caller's credentials are part of the request: one organiser's key never replays another's answer.
    const fingerprint = requestFingerprint(request.method, request.url, request.body, request.headers.authorization, maxMembersOf(bodyTypeOf(context)));
    const claim = await this.store.claim(key, fingerprint);
    if (claim.kind === 'replay') {
      void reply.status(claim.status).header('Idempotent-Replayed', 'true');
      return of(claim.body);
    }
    return from(this.runOnce(key, next, reply));
  }

  private async runOnce(key: string, next: CallHandler, reply: FastifyReply): Promise<unknown> {
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.store.release(key);
      throw error;
    }
    if (reply.statusCode >= 200 && reply.statusCode < 300) {
      await this.store.complete(key, reply.statusCode, body);
    } else {
      await this.store.release(key);
    }
    return body;
  }
}
