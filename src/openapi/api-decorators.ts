import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiParam, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, type ApiResponseCommonMetadata } from '@nestjs/swagger';
import { BUSY_RETRY_AFTER_SECONDS } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { httpStatusOf, RETRYABLE_CODES } from '../http/error-responses.js';

/** The one error shape, as the exception filter writes it. */
export class ErrorResponse {
  @ApiProperty({ example: 409 })
  statusCode!: number;

  @ApiProperty({ example: 'Conflict' })
  error!: string;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', description: 'Stable, for programs to branch on.' })
  code!: ErrorCode;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'For people; for VALIDATION_FAILED a list naming each offending field.',
  })
  message!: string | string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only on 500: quote it when reporting; the log line has the same id.' })
  error_id?: string;
}

/** What any endpoint reading a JSON body can also answer before its own rules run. */
export const JSON_BODY_ERRORS = [ErrorCode.MalformedJson, ErrorCode.PayloadTooLarge, ErrorCode.UnsupportedMediaType];

/**
 * Documents the error responses of an endpoint from its error codes, grouped by the status the
 * exception filter gives each; INTERNAL_ERROR and DATABASE_UNAVAILABLE are added everywhere.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...codes, ErrorCode.InternalError, ErrorCode.DatabaseUnavailable])) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses = [...byStatus].map(([status, statusCodes]) =>
    ApiResponse({
      status,
      description: statusCodes.join(', '),
      headers: statusCodes.some((code) => RETRYABLE_CODES.has(code))
        ? { 'Retry-After': { description: `Seconds to wait before retrying (${BUSY_RETRY_AFTER_SECONDS}).`, schema: { type: 'integer' } } }
        : undefined,
      schema: { allOf: [{ $ref: getSchemaPath(ErrorResponse) }, { properties: { code: { type: 'string', enum: statusCodes } } }] },
    }),
  );
  return applyDecorators(ApiExtraModels(ErrorResponse), ...responses);
}

/** What any POST can answer when the client sends an Idempotency-Key. */
export const IDEMPOTENCY_ERRORS = [ErrorCode.IdempotencyKeyReused, ErrorCode.IdempotencyKeyInUse];

/** The optional header that makes a POST safe to retry. */
export function ApiIdempotencyKey(): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1–255 printable ASCII characters. Within 24 h the same key and request replays the first 2xx answer (with Idempotent-Replayed: true) instead of acting again.',
  });
}

/** A booking or hold reference in the path. */
export function ApiReferenceParam(description: string): MethodDecorator {
  return ApiParam({ name: 'reference', schema: { type: 'string', pattern: '^[0-9A-Za-z]{12}$', example: 'R67AJW8XQS72' }, description });
}

/** A path id as ParseIdPipe accepts it. */
export function ApiIdParam(description: string): MethodDecorator {
  return ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1 }, description });
}

type ResponseHeaders = NonNullable<ApiResponseCommonMetadata['headers']>;

/** A list's link to its next page. */
export const LINK_HEADER: ResponseHeaders = {
  Link: { description: 'RFC 8288 link to the next page (rel="next"), when there is one.', schema: { type: 'string' } },
};

const CACHING_HEADERS: ResponseHeaders = {
  ETag: { description: 'Strong entity tag of the body, made from its bytes: send it back in If-None-Match.', schema: { type: 'string' } },
  'Cache-Control': {
    description: '`public, max-age=<seconds>` while the read cache is on (READ_CACHE_MS; availability up to that old), `no-cache` when it is off.',
    schema: { type: 'string' },
  },
};

/** A public read that answers 304 Not Modified, without a body, to a request naming its current ETag. */
export function ApiConditionalGet({ type, headers = {} }: { type: ApiResponseCommonMetadata['type']; headers?: ResponseHeaders }): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'If-None-Match', required: false, description: 'ETags of answers already held; if one is current, the answer is 304 without a body.' }),
    ApiOkResponse({ type, headers: { ...CACHING_HEADERS, ...headers } }),
    ApiNotModifiedResponse({ description: 'Not Modified: the ETag sent in If-None-Match is current. No body.', headers: { ...CACHING_HEADERS, ...headers } }),
  );
}
