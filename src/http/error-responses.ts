import { STATUS_CODES } from 'node:http';
import { BUSY_RETRY_AFTER_SECONDS, DomainError, RateLimitedError, UnauthorizedError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';

/**
 * Where error codes meet HTTP: each code's status and the headers it implies, and the code for a
 * status the framework answers before any handler runs. The exception filter answers with these;
 * the OpenAPI document is written from them.
 */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedJson:
    case ErrorCode.MalformedRequest:
    case ErrorCode.WebhookUrlNotAllowed:
      return 400;
    case ErrorCode.Unauthorized:
      return 401;
    case ErrorCode.NotFound:
    case ErrorCode.EventNotFound:
    case ErrorCode.BookingNotFound:
    case ErrorCode.HoldNotFound:
    case ErrorCode.TicketNotFound:
    case ErrorCode.ScannerKeyNotFound:
    case ErrorCode.CodeNotFound:
    case ErrorCode.WebhookNotFound:
    case ErrorCode.WebhookMessageNotFound:
    case ErrorCode.WaitlistEntryNotFound:
      return 404;
    case ErrorCode.EventInPast:
    case ErrorCode.EventCancelled:
    case ErrorCode.SeatsLimitBelowSold:
    case ErrorCode.TicketCancelled:
    case ErrorCode.AlreadyCheckedIn:
    case ErrorCode.AlreadyExists:
    case ErrorCode.SoldOut:
    case ErrorCode.InsufficientSeats:
    case ErrorCode.HoldAlreadyConfirmed:
    case ErrorCode.IdempotencyKeyInUse:
    case ErrorCode.CodeAlreadyExists:
    case ErrorCode.CodeExhausted:
    case ErrorCode.MaxUsesBelowUses:
    case ErrorCode.SalesNotStarted:
    case ErrorCode.SalesEnded:
    case ErrorCode.SeatsAvailable:
    case ErrorCode.WaitlistEntryClosed:
      return 409;
    case ErrorCode.RequestTimeout:
      return 408;
    case ErrorCode.HoldExpired:
      return 410;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UriTooLong:
      return 414;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.TicketCategoryNotFound:
    case ErrorCode.QuantityAboveLimit:
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.CodeNotValid:
    case ErrorCode.CodeNotApplicable:
      return 422;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.HeadersTooLarge:
      return 431;
    case ErrorCode.InternalError:
      return 500;
    case ErrorCode.BusyTryAgain:
    case ErrorCode.DatabaseUnavailable:
      return 503;
    default:
      return assertUnreachable(code);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled error code: ${String(value)}`);
}

export const BEARER_REALM = 'Bearer realm="ticketing-api"';

/** Codes answered with Retry-After: the client may send the same request again after waiting. */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.BusyTryAgain,
  ErrorCode.IdempotencyKeyInUse,
  ErrorCode.RateLimited,
  ErrorCode.DatabaseUnavailable,
]);

/** The headers an error's answer carries; the OpenAPI document declares them from this too. */
export function responseHeadersOf(error: DomainError): Record<string, string> {
  if (error instanceof UnauthorizedError) {
    return { 'WWW-Authenticate': error.credentialsRejected ? `${BEARER_REALM}, error="invalid_token"` : BEARER_REALM };
  }
  if (!RETRYABLE_CODES.has(error.code)) return {};
  const seconds = error instanceof RateLimitedError ? error.retryAfterSeconds : BUSY_RETRY_AFTER_SECONDS;
  return { 'Retry-After': String(seconds) };
}

/** The code for an answer the framework gives by status alone (no route, body too large, …). */
export function errorCodeForStatus(status: number): ErrorCode {
  switch (status) {
    case 404:
      return ErrorCode.NotFound;
    case 408:
      return ErrorCode.RequestTimeout;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 414:
      return ErrorCode.UriTooLong;
    case 415:
      return ErrorCode.UnsupportedMediaType;
    case 431:
      return ErrorCode.HeadersTooLarge;
    default:
      return status >= 500 ? ErrorCode.InternalError : ErrorCode.ValidationFailed;
  }
}

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** The one error shape every answer of ours has. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string | string[];
  error_id?: string;
}

export function errorBody(code: ErrorCode, message: string | string[]): ErrorBody {
  const statusCode = httpStatusOf(code);
  return { statusCode, error: statusText(statusCode), code, message };
}
