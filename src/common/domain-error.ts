import { ErrorCode } from './error-code.js';

/** How long a client should wait before retrying a request refused for a moment's contention. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * An expected failure of a business rule, with a stable code and a message for people. It knows
 * nothing of HTTP: the edge (src/http/) maps the code to a status and the headers it implies.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** What the client is told: one sentence, or one per invalid field. */
    readonly details: string | string[],
    /** Facts a client acts on beside the code (when a ticket was checked in, say), answered as fields of their own. */
    readonly facts: Record<string, string | number | null> = {},
  ) {
    super(Array.isArray(details) ? details.join('; ') : details);
    this.name = new.target.name;
  }
}

/** A refusal lists at most this many problems, so a body with thousands of them gets a short answer. */
export const MAX_LISTED_PROBLEMS = 20;

export class ValidationFailedError extends DomainError {
  constructor(messages: string[]) {
    super(ErrorCode.ValidationFailed, listAtMost(MAX_LISTED_PROBLEMS, messages));
  }
}

function listAtMost(max: number, messages: string[]): string[] {
  if (messages.length <= max) return messages;
  return [...messages.slice(0, max), `…and ${messages.length - max} more`];
}

/** A request the HTTP layer cannot read as one: not valid HTTP/1.1, or a URL that is not valid UTF-8. */
export class MalformedRequestError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.MalformedRequest, message);
  }
}

export class EventNotFoundError extends DomainError {
  constructor(eventId: number) {
    super(ErrorCode.EventNotFound, `Event ${eventId} does not exist.`);
  }
}

export class EventInPastError extends DomainError {
  constructor(eventId: number, action: 'booked' | 'changed' | 'cancelled' = 'booked') {
    super(ErrorCode.EventInPast, `Event ${eventId} has already taken place; it can no longer be ${action}.`);
  }
}

export class EventCancelledError extends DomainError {
  constructor(eventId: number) {
    super(ErrorCode.EventCancelled, `Event ${eventId} has been cancelled.`);
  }
}

export class SeatsLimitBelowSoldError extends DomainError {
  constructor(categoryName: string, taken: number) {
    super(
      ErrorCode.SeatsLimitBelowSold,
      `seats_limit of "${categoryName}" cannot go below the ${taken} seat${taken === 1 ? '' : 's'} already sold or held.`,
    );
  }
}

export class UnauthorizedError extends DomainError {
  constructor(
    message: string,
    /** True when credentials were sent but are not valid (unknown or revoked), false when none were. */
    readonly credentialsRejected: boolean,
  ) {
    super(ErrorCode.Unauthorized, message);
  }
}

export class TicketCategoryNotFoundError extends DomainError {
  constructor(eventId: number, categoryName: string) {
    super(
      ErrorCode.TicketCategoryNotFound,
      `Event ${eventId} has no ticket category named "${categoryName}".`,
    );
  }
}

export class SoldOutError extends DomainError {
  constructor(categoryName: string) {
    super(ErrorCode.SoldOut, `Ticket category "${categoryName}" is sold out.`);
  }
}

export class InsufficientSeatsError extends DomainError {
  constructor(categoryName: string, requested: number, available: number) {
    super(
      ErrorCode.InsufficientSeats,
      `Only ${available} seat${available === 1 ? '' : 's'} left in "${categoryName}"; ${requested} requested.`,
    );
  }
}

export class QuantityAboveLimitError extends DomainError {
  constructor(categoryName: string, limit: number) {
    super(ErrorCode.QuantityAboveLimit, `At most ${limit} seat${limit === 1 ? '' : 's'} of "${categoryName}" can be taken in one booking.`);
  }
}

export class CodeNotFoundError extends DomainError {
  constructor(eventId: number, code: string) {
    super(ErrorCode.CodeNotFound, `Event ${eventId} has no code "${code}".`);
  }
}

/** The buyer asked to wait for seats that can be booked right now. */
export class SeatsAvailableError extends DomainError {
  constructor(categoryName: string, available: number) {
    super(ErrorCode.SeatsAvailable, `${available} seat${available === 1 ? ' is' : 's are'} available in "${categoryName}" right now; book instead of joining the waiting list.`, { seats_available: available });
  }
}

export class WaitlistEntryNotFoundError extends DomainError {
  constructor(reference: string) {
    super(ErrorCode.WaitlistEntryNotFound, `No waiting-list entry has the reference "${reference}".`);
  }
}

/** The entry was converted into a booking or has expired: there is nothing left to withdraw. */
export class WaitlistEntryClosedError extends DomainError {
  constructor(reference: string, status: string) {
    super(ErrorCode.WaitlistEntryClosed, `Waiting-list entry "${reference}" is ${status}; it can no longer be withdrawn.`, { status });
  }
}

export class WebhookNotFoundError extends DomainError {
  constructor(id: number) {
    super(ErrorCode.WebhookNotFound, `Webhook ${id} does not exist.`);
  }
}

export class WebhookMessageNotFoundError extends DomainError {
  constructor(webhookId: number, messageId: string) {
    super(ErrorCode.WebhookMessageNotFound, `Webhook ${webhookId} has no message "${messageId}".`);
  }
}

/** A URL the service will not call: not http(s), or a host that is or resolves to a non-public address. */
export class WebhookUrlNotAllowedError extends DomainError {
  constructor(reason: string) {
    super(ErrorCode.WebhookUrlNotAllowed, reason);
  }
}

export class CodeAlreadyExistsError extends DomainError {
  constructor(eventId: number, code: string) {
    super(ErrorCode.CodeAlreadyExists, `Event ${eventId} already has the code "${code}" (codes are compared ignoring case).`);
  }
}

/** One answer for a code that is unknown, disabled or outside its window, so that a buyer cannot probe which codes exist. */
export class CodeNotValidError extends DomainError {
  constructor(eventId: number, code: string) {
    super(ErrorCode.CodeNotValid, `The code "${code}" cannot be used for event ${eventId}: it is unknown, disabled, or not valid at this time.`);
  }
}

export class CodeNotApplicableError extends DomainError {
  constructor(code: string) {
    super(ErrorCode.CodeNotApplicable, `The code "${code}" applies to none of the ticket categories in this order.`);
  }
}

export class CodeExhaustedError extends DomainError {
  constructor(code: string) {
    super(ErrorCode.CodeExhausted, `The code "${code}" has been used as many times as it may be.`);
  }
}

export class MaxUsesBelowUsesError extends DomainError {
  constructor(uses: number) {
    super(ErrorCode.MaxUsesBelowUses, `max_uses cannot go below the ${uses} use${uses === 1 ? '' : 's'} already counted.`);
  }
}

/** `when` is the moment in the event's own time zone, as people there read it; the fact carries it in UTC. */
export class SalesNotStartedError extends DomainError {
  constructor(categoryName: string, salesStart: Date, when: string) {
    super(ErrorCode.SalesNotStarted, `Sales of "${categoryName}" start at ${when}.`, { sales_start: salesStart.toISOString() });
  }
}

export class SalesEndedError extends DomainError {
  constructor(categoryName: string, salesEnd: Date, when: string) {
    super(ErrorCode.SalesEnded, `Sales of "${categoryName}" ended at ${when}.`, { sales_end: salesEnd.toISOString() });
  }
}

/**
 * A value that must be unique is taken: the last line of defence where a race or a collision got
 * past the checks made before writing. Nothing was changed, so the request may be sent again.
 */
export class AlreadyExistsError extends DomainError {
  constructor() {
    super(ErrorCode.AlreadyExists, 'Something with the same unique value already exists; nothing was changed.');
  }
}

/** The whole order is over the tickets one booking may take (the event's max_tickets_per_booking). */
export class TooManyTicketsError extends DomainError {
  constructor(limit: number) {
    super(ErrorCode.QuantityAboveLimit, `At most ${limit} ticket${limit === 1 ? '' : 's'} can be taken in one booking, over all its lines.`);
  }
}

export class TicketNotFoundError extends DomainError {
  constructor() {
    super(ErrorCode.TicketNotFound, 'No ticket has this code.');
  }
}

export class TicketCancelledError extends DomainError {
  constructor() {
    super(ErrorCode.TicketCancelled, 'This ticket was cancelled; it does not admit anyone.');
  }
}

export class AlreadyCheckedInError extends DomainError {
  constructor(checkedInAt: Date) {
    super(ErrorCode.AlreadyCheckedIn, `This ticket was already checked in at ${checkedInAt.toISOString()}.`, { checked_in_at: checkedInAt.toISOString() });
  }
}

export class ScannerKeyNotFoundError extends DomainError {
  constructor(prefix: string) {
    super(ErrorCode.ScannerKeyNotFound, `No scanner key of this event starts with "${prefix}".`);
  }
}

export class BookingNotFoundError extends DomainError {
  constructor(reference: string) {
    super(ErrorCode.BookingNotFound, `No booking has the reference "${reference}".`);
  }
}

export class HoldNotFoundError extends DomainError {
  constructor(reference: string) {
    super(ErrorCode.HoldNotFound, `No hold has the reference "${reference}".`);
  }
}

export class HoldExpiredError extends DomainError {
  constructor(reference: string) {
    super(ErrorCode.HoldExpired, `Hold "${reference}" has expired and its seats were released; hold them again.`);
  }
}

export class HoldAlreadyConfirmedError extends DomainError {
  constructor(reference: string) {
    super(ErrorCode.HoldAlreadyConfirmed, `Hold "${reference}" was confirmed as a booking; cancel the booking instead.`);
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was already used for a different request; use a new key.');
  }
}

export class IdempotencyKeyInUseError extends DomainError {
  constructor() {
    super(
      ErrorCode.IdempotencyKeyInUse,
      'A request with this Idempotency-Key is still being processed (or was interrupted); retry later with the same key.',
    );
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, `Too many requests from this address; retry in ${retryAfterSeconds} s.`);
  }
}

export class BusyTryAgainError extends DomainError {
  constructor() {
    super(ErrorCode.BusyTryAgain, 'The ticket category is busy with other bookings; please try again in a moment.');
  }
}

/**
 * The database cannot be reached (see database/database-unavailable.ts). A transaction cut off
 * before COMMIT left nothing behind; one cut off during COMMIT may have taken effect, which is why
 * clients retry a POST with the same Idempotency-Key.
 */
export class DatabaseUnavailableError extends DomainError {
  constructor() {
    super(ErrorCode.DatabaseUnavailable, 'The database is unavailable at the moment; please try again shortly.');
  }
}
