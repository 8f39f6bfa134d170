import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiParam, DECORATORS, type ApiResponseCommonMetadata } from '@nestjs/swagger';
import { ErrorCode } from '../common/error-code.js';
import { REFERENCE_PATTERN } from '../common/reference.js';

/**
 * The extension that carries an operation's own error codes from its decorators to
 * completeDocument(), which turns them, with what every route can answer, into its responses.
 */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/**
 * Declares error codes that the route's rules, guards, pipes or interceptors can answer; the
 * document gives each under the status the exception filter answers it with (see
 * complete-document.ts). Decorators that bring a guard or an interceptor declare its codes
 * themselves (OrganizerOnly, PublicWrite, Idempotent), so declarations add up, in any order.
 * Every route with errors of its own reads the database, which may be unavailable.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator {
  return declareErrorCodes([...codes, ErrorCode.DatabaseUnavailable]);
}

/** For a route that answers nothing but what every route can (a probe, the metrics). */
export function ApiEdgeErrorsOnly(): MethodDecorator {
  return declareErrorCodes([]);
}

function declareErrorCodes(codes: ErrorCode[]): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    // ApiExtension() keeps the first value given for a key, so the lists are merged here.
    const extensions = (Reflect.getMetadata(DECORATORS.API_EXTENSION, handler) ?? {}) as Record<string, unknown>;
    const declared = (extensions[ERROR_CODES_EXTENSION] ?? []) as ErrorCode[];
    Reflect.defineMetadata(DECORATORS.API_EXTENSION, { ...extensions, [ERROR_CODES_EXTENSION]: [...new Set([...declared, ...codes])] }, handler);
  };
}

/** What any POST can answer when the client sends an Idempotency-Key. */
export const IDEMPOTENCY_ERRORS = [ErrorCode.IdempotencyKeyReused, ErrorCode.IdempotencyKeyInUse];

/** A booking or hold reference in the path: anything else is answered as an unknown reference. */
export function ApiReferenceParam(description: string): MethodDecorator {
  return ApiParam({ name: 'reference', schema: { type: 'string', pattern: REFERENCE_PATTERN, example: 'R67AJW8XQS72' }, description });
}

/** A path id as ParseIdPipe accepts it; anything else answers 400. */
export function ApiIdParam(description: string): MethodDecorator {
  return applyDecorators(
    ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, description }),
    ApiErrors(ErrorCode.ValidationFailed),
  );
}

/** A ticket code in the path. */
export function ApiTicketCodeParam(description: string): MethodDecorator {
  return ApiParam({ name: 'code', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$', example: 'q3JwYkZ0dVh5c0hKQm9wUQ' }, description });
}

/**
 * A public read that answers 304 Not Modified, without a body, to a request naming its current
 * ETag; completeDocument() gives both answers their ETag and Cache-Control headers.
 */
export function ApiConditionalGet(type: ApiResponseCommonMetadata['type']): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: IF_NONE_MATCH, required: false, description: 'ETags of answers already held; if one is current, the answer is 304 without a body.' }),
    ApiOkResponse({ type }),
    ApiNotModifiedResponse({ description: 'Not Modified: the ETag sent in If-None-Match is current. No body.' }),
  );
}

export const IF_NONE_MATCH = 'If-None-Match';
