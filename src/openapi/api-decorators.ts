import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiParam, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode, httpStatusOf } from '../common/error-code.js';
import { BUSY_RETRY_AFTER_SECONDS } from '../common/domain-error.js';

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
 * exception filter gives each; INTERNAL_ERROR is added everywhere.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...codes, ErrorCode.InternalError])) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses = [...byStatus].map(([status, statusCodes]) =>
    ApiResponse({
      status,
      description: statusCodes.join(', '),
      headers: statusCodes.includes(ErrorCode.BusyTryAgain)
        ? { 'Retry-After': { description: `Seconds to wait before retrying (${BUSY_RETRY_AFTER_SECONDS}).`, schema: { type: 'integer' } } }
        : undefined,
      schema: { allOf: [{ $ref: getSchemaPath(ErrorResponse) }, { properties: { code: { type: 'string', enum: statusCodes } } }] },
    }),
  );
  return applyDecorators(ApiExtraModels(ErrorResponse), ...responses);
}

/** A path id as ParseIdPipe accepts it. */
export function ApiIdParam(description: string): MethodDecorator {
  return ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1 }, description });
}
