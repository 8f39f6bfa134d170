import {
  AlreadyCheckedInError,
  AlreadyExistsError,
  BookingNotFoundError,
  BusyTryAgainError,
  DatabaseUnavailableError,
  DomainError,
  EventCancelledError,
  EventInPastError,
  EventNotFoundError,
  HoldAlreadyConfirmedError,
  HoldExpiredError,
  HoldNotFoundError,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  InsufficientSeatsError,
  MalformedRequestError,
  QuantityAboveLimitError,
  RateLimitedError,
  ScannerKeyNotFoundError,
  SeatsLimitBelowSoldError,
  SoldOutError,
  TicketCancelledError,
  TicketCategoryNotFoundError,
  TicketNotFoundError,
  UnauthorizedError,
  ValidationFailedError,
} from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { FRAMEWORK_MESSAGES, INTERNAL_ERROR_MESSAGE, payloadTooLargeMessage } from '../http/all-exceptions.filter.js';
import { PARSER_ERRORS, ROUTER_ERRORS } from '../http/protocol-errors.js';

/**
 * One error of each code, made as the service makes it, so that the document's examples carry the
 * messages and headers a client really gets (the compiler insists on one per code).
 */
export const EXAMPLE_ERRORS: Readonly<Record<ErrorCode, DomainError>> = {
  [ErrorCode.ValidationFailed]: new ValidationFailedError(['ticket_categories.0.seats_limit must not be greater than 1000000', 'date must be in the future']),
  [ErrorCode.MalformedJson]: new DomainError(ErrorCode.MalformedJson, FRAMEWORK_MESSAGES[ErrorCode.MalformedJson]),
  [ErrorCode.MalformedRequest]: new MalformedRequestError(ROUTER_ERRORS.FST_ERR_BAD_URL.message),
  [ErrorCode.RequestTimeout]: new DomainError(ErrorCode.RequestTimeout, PARSER_ERRORS.ERR_HTTP_REQUEST_TIMEOUT.message),
  [ErrorCode.UriTooLong]: new DomainError(ErrorCode.UriTooLong, ROUTER_ERRORS.FST_ERR_MAX_PARAM_LENGTH.message),
  [ErrorCode.HeadersTooLarge]: new DomainError(ErrorCode.HeadersTooLarge, PARSER_ERRORS.HPE_HEADER_OVERFLOW.message),
  [ErrorCode.PayloadTooLarge]: new DomainError(ErrorCode.PayloadTooLarge, payloadTooLargeMessage(8 * 1024)),
  [ErrorCode.UnsupportedMediaType]: new DomainError(ErrorCode.UnsupportedMediaType, FRAMEWORK_MESSAGES[ErrorCode.UnsupportedMediaType]),
  [ErrorCode.Unauthorized]: new UnauthorizedError('Send an organiser API key as "Authorization: Bearer <key>".', false),
  [ErrorCode.NotFound]: new DomainError(ErrorCode.NotFound, FRAMEWORK_MESSAGES[ErrorCode.NotFound]),
  [ErrorCode.EventNotFound]: new EventNotFoundError(42),
  [ErrorCode.EventInPast]: new EventInPastError(1),
  [ErrorCode.EventCancelled]: new EventCancelledError(1),
  [ErrorCode.SeatsLimitBelowSold]: new SeatsLimitBelowSoldError('VIP', 12),
  [ErrorCode.AlreadyExists]: new AlreadyExistsError(),
  [ErrorCode.TicketCategoryNotFound]: new TicketCategoryNotFoundError(1, 'Balcony'),
  [ErrorCode.SoldOut]: new SoldOutError('VIP'),
  [ErrorCode.InsufficientSeats]: new InsufficientSeatsError('VIP', 49, 48),
  [ErrorCode.BookingNotFound]: new BookingNotFoundError('R67AJW8XQS72'),
  [ErrorCode.HoldNotFound]: new HoldNotFoundError('9TGQ3CT328VG'),
  [ErrorCode.TicketNotFound]: new TicketNotFoundError(),
  [ErrorCode.ScannerKeyNotFound]: new ScannerKeyNotFoundError('sk_3fGh1kLm'),
  [ErrorCode.TicketCancelled]: new TicketCancelledError(),
  [ErrorCode.AlreadyCheckedIn]: new AlreadyCheckedInError(new Date('2027-06-15T17:42:10.031Z')),
  [ErrorCode.HoldExpired]: new HoldExpiredError('9TGQ3CT328VG'),
  [ErrorCode.HoldAlreadyConfirmed]: new HoldAlreadyConfirmedError('9TGQ3CT328VG'),
  [ErrorCode.QuantityAboveLimit]: new QuantityAboveLimitError('VIP', 4),
  [ErrorCode.IdempotencyKeyReused]: new IdempotencyKeyReusedError(),
  [ErrorCode.IdempotencyKeyInUse]: new IdempotencyKeyInUseError(),
  [ErrorCode.RateLimited]: new RateLimitedError(42),
  [ErrorCode.BusyTryAgain]: new BusyTryAgainError(),
  [ErrorCode.DatabaseUnavailable]: new DatabaseUnavailableError(),
  [ErrorCode.InternalError]: new DomainError(ErrorCode.InternalError, INTERNAL_ERROR_MESSAGE),
};

/** The error_id of the 500 example: any UUID, as the exception filter makes one per error. */
export const EXAMPLE_ERROR_ID = '0b7e6f0e-5d0a-4c52-9a8e-3f1d2c4b5a69';
