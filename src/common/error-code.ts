/** Stable, machine-readable error codes: clients branch on these, so never rename one. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedJson = 'MALFORMED_JSON',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  Unauthorized = 'UNAUTHORIZED',
  NotFound = 'NOT_FOUND',
  EventNotFound = 'EVENT_NOT_FOUND',
  EventInPast = 'EVENT_IN_PAST',
  EventCancelled = 'EVENT_CANCELLED',
  SeatsLimitBelowSold = 'SEATS_LIMIT_BELOW_SOLD',
  TicketCategoryNotFound = 'TICKET_CATEGORY_NOT_FOUND',
  SoldOut = 'SOLD_OUT',
  InsufficientSeats = 'INSUFFICIENT_SEATS',
  BookingNotFound = 'BOOKING_NOT_FOUND',
  HoldNotFound = 'HOLD_NOT_FOUND',
  HoldExpired = 'HOLD_EXPIRED',
  HoldAlreadyConfirmed = 'HOLD_ALREADY_CONFIRMED',
  QuantityAboveLimit = 'QUANTITY_ABOVE_LIMIT',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyInUse = 'IDEMPOTENCY_KEY_IN_USE',
  RateLimited = 'RATE_LIMITED',
  BusyTryAgain = 'BUSY_TRY_AGAIN',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  InternalError = 'INTERNAL_ERROR',
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedJson:
      return 400;
    case ErrorCode.Unauthorized:
      return 401;
    case ErrorCode.NotFound:
    case ErrorCode.EventNotFound:
    case ErrorCode.BookingNotFound:
    case ErrorCode.HoldNotFound:
      return 404;
    case ErrorCode.EventInPast:
    case ErrorCode.EventCancelled:
    case ErrorCode.SeatsLimitBelowSold:
    case ErrorCode.SoldOut:
    case ErrorCode.InsufficientSeats:
    case ErrorCode.HoldAlreadyConfirmed:
    case ErrorCode.IdempotencyKeyInUse:
      return 409;
    case ErrorCode.HoldExpired:
      return 410;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.TicketCategoryNotFound:
    case ErrorCode.QuantityAboveLimit:
    case ErrorCode.IdempotencyKeyReused:
      return 422;
    case ErrorCode.RateLimited:
      return 429;
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
