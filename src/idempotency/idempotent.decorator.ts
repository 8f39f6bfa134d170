import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ErrorCode } from '../common/error-code.js';
import { ApiErrors, IDEMPOTENCY_ERRORS } from '../openapi/api-decorators.js';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency-key.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * A POST that a client may retry with an Idempotency-Key: the interceptor runs for it, and the
 * header and what the interceptor answers are documented (an invalid key is a VALIDATION_FAILED;
 * a replayed answer's Idempotent-Replayed header is added to the document for every operation that
 * takes the key). Only these routes carry the interceptor, so reads pay nothing for it (as a global
 * interceptor it wrapped every GET in its observables: ~20 % of `GET /events/:id`).
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      // No example: Swagger UI would send it with every "Try it out", and a key reused for another request answers 422.
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN.source },
      description:
        '1–255 printable ASCII characters, e.g. a random UUID. Within 24 h the same key and request replays the first 2xx answer (with Idempotent-Replayed: true) instead of acting again.',
    }),
    ApiErrors(ErrorCode.ValidationFailed, ...IDEMPOTENCY_ERRORS),
  );
}
