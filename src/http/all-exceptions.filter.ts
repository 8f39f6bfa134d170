import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AlreadyExistsError, DatabaseUnavailableError, DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { isDuplicateKeyError } from '../database/database-errors.js';
import { isDatabaseUnavailable } from '../database/database-unavailable.js';
import { errorBody, errorCodeForStatus, responseHeadersOf, type ErrorBody } from './error-responses.js';
import { recordUnhandledError } from './unhandled-errors.js';

/** Fastify's own rejections (body parsing, limits) arrive as HttpExceptions caused by a coded error. */
const FASTIFY_ERROR_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.MalformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.MalformedJson,
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.MalformedJson,
};

type FrameworkCode = ErrorCode.MalformedJson | ErrorCode.UnsupportedMediaType | ErrorCode.NotFound;

/** What the client is told when the framework refused the request before our code saw it. */
export const FRAMEWORK_MESSAGES: Readonly<Record<FrameworkCode, string>> = {
  [ErrorCode.MalformedJson]: 'The request body is not valid JSON.',
  [ErrorCode.UnsupportedMediaType]: 'Send the request body as application/json.',
  [ErrorCode.NotFound]: 'No such route.',
};

export const INTERNAL_ERROR_MESSAGE = 'An unexpected error occurred. Quote the error_id when reporting it.';

export function payloadTooLargeMessage(bodyLimitBytes: number): string {
  return `The request body is larger than the ${bodyLimitBytes / 1024} KiB this endpoint accepts.`;
}

/** Nest's side of the one mapping: every exception a handler, guard or pipe throws is answered by answerError. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    answerError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

/**
 * Every error answer has one shape, whether Nest's pipeline or an answer given before it (see
 * answerBeforeHandlers) met the error. A domain error keeps its code; a refusal by the framework gets
 * the code of its status; anything else is a 500 whose error_id is also in the log, with nothing
 * of its internals in the answer.
 */
export function answerError(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { body, headers } = errorResponse(exception, request, reply.raw);
  void reply.status(body.statusCode).headers(headers).send(body);
}

function errorResponse(exception: unknown, request: FastifyRequest, response: ServerResponse): { body: ErrorBody; headers: Record<string, string> } {
  const known = domainErrorOf(exception);
  if (known instanceof DomainError) {
    return { body: { ...errorBody(known.code, known.details), ...known.facts }, headers: responseHeadersOf(known) };
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const code = frameworkErrorCode(exception);
    return { body: errorBody(code, frameworkMessage(code, request) ?? exception.message), headers: {} };
  }
  const errorId = randomUUID();
  // The request's log line reports it, error_id and stack included (see request-log.hook.ts).
  recordUnhandledError(response, exception, errorId);
  return {
    body: {
      ...errorBody(ErrorCode.InternalError, INTERNAL_ERROR_MESSAGE),
      error_id: errorId,
    },
    headers: {},
  };
}

/** Database failures that are not bugs of ours get the code that says what the client may do. */
function domainErrorOf(exception: unknown): unknown {
  if (isDatabaseUnavailable(exception)) return new DatabaseUnavailableError();
  if (isDuplicateKeyError(exception)) return new AlreadyExistsError();
  return exception;
}

function frameworkErrorCode(exception: HttpException): ErrorCode {
  const causeCode = (exception.cause as { code?: unknown } | undefined)?.code;
  const mapped = typeof causeCode === 'string' ? FASTIFY_ERROR_CODES[causeCode] : undefined;
  if (mapped !== undefined) return mapped;
  if (exception.cause instanceof SyntaxError) return ErrorCode.MalformedJson;
  return errorCodeForStatus(exception.getStatus());
}

function frameworkMessage(code: ErrorCode, request: FastifyRequest): string | undefined {
  if (code === ErrorCode.PayloadTooLarge) return payloadTooLargeMessage(request.routeOptions.bodyLimit);
  return Object.hasOwn(FRAMEWORK_MESSAGES, code) ? FRAMEWORK_MESSAGES[code as FrameworkCode] : undefined;
}
