import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiIdempotencyKey } from '../openapi/api-decorators.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * A POST that a client may retry with an Idempotency-Key: the interceptor runs for it and the
 * header is documented. Only these routes carry the interceptor, so reads pay nothing for it
 * (as a global interceptor it wrapped every GET in its observables: ~20 % of `GET /events/:id`).
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(UseInterceptors(IdempotencyInterceptor), ApiIdempotencyKey());
}
