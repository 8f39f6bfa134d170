import { ArgumentsHost, Catch, ExceptionFilter, HttpException, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { recordUnhandledError } from '../logging/unhandled-errors.js';
import { isDatabaseUnavailable } from '../database/database-unavailable.js';
import { DatabaseUnavailableError, DomainError } from './domain-error.js';
import { ErrorCode, httpStatusOf } from './error-code.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string | string[];
  error_id?: string;
}

/** Fastify's own rejections (body parsing, limits) arrive as HttpExceptions caused by a coded error. */
const FASTIFY_ERROR_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.MalformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.MalformedJson,
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.MalformedJson,
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.MalformedJson]: 'The request body is not valid JSON.',
  [ErrorCode.PayloadTooLarge]: 'The request body is larger than the 1 MiB limit.',
  [ErrorCode.UnsupportedMediaType]: 'Send the request body as application/json.',
};

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // The readiness probe's 503 (from terminus) keeps terminus's report of each check.
    if (exception instanceof ServiceUnavailableException) {
      void reply.status(503).send(exception.getResponse());
      return;
    }
    const { body, headers } = this.toResponse(exception, reply.raw);
    void reply.status(body.statusCode).headers(headers).send(body);
  }

  private toResponse(exception: unknown, response: ServerResponse): { body: ErrorBody; headers: Record<string, string> } {
    const known = isDatabaseUnavailable(exception) ? new DatabaseUnavailableError() : exception;
    if (known instanceof DomainError) {
      return { body: errorBody(known.code, known.details), headers: known.headers };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return { body: this.fromHttpException(exception), headers: {} };
    }
    const errorId = randomUUID();
    // The request's log line reports it, error_id and stack included (see logging/).
    recordUnhandledError(response, exception, errorId);
    return {
      body: {
        ...errorBody(ErrorCode.InternalError, 'An unexpected error occurred. Quote the error_id when reporting it.'),
        error_id: errorId,
      },
      headers: {},
    };
  }

  private fromHttpException(exception: HttpException): ErrorBody {
    const status = exception.getStatus();
    const causeCode = (exception.cause as { code?: unknown } | undefined)?.code;
    const mapped = typeof causeCode === 'string' ? FASTIFY_ERROR_CODES[causeCode] : undefined;
    if (mapped !== undefined) return errorBody(mapped, MESSAGES[mapped] ?? exception.message);
    if (exception.cause instanceof SyntaxError) {
      return errorBody(ErrorCode.MalformedJson, MESSAGES[ErrorCode.MalformedJson] ?? '');
    }
    if (status === 404) return errorBody(ErrorCode.NotFound, 'No such route.');
    if (status === 413) return errorBody(ErrorCode.PayloadTooLarge, MESSAGES[ErrorCode.PayloadTooLarge] ?? '');
    if (status === 415) return errorBody(ErrorCode.UnsupportedMediaType, MESSAGES[ErrorCode.UnsupportedMediaType] ?? '');
    return { ...errorBody(ErrorCode.ValidationFailed, exception.message), statusCode: status, error: statusText(status) };
  }
}

function errorBody(code: ErrorCode, message: string | string[]): ErrorBody {
  const statusCode = httpStatusOf(code);
  return { statusCode, error: statusText(statusCode), code, message };
}

function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
