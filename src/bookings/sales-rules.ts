import {
  CodeNotApplicableError,
  CodeNotValidError,
  EventCancelledError,
  EventInPastError,
  QuantityAboveLimitError,
  SalesEndedError,
  SalesNotStartedError,
  TicketCategoryNotFoundError,
  TooManyTicketsError,
} from '../common/domain-error.js';
import { localIsoDate } from '../common/time-zone.js';
import { EventStatus, hasTakenPlace, type Event } from '../events/event.entity.js';
import { MAX_PER_BOOKING } from '../events/dto/create-event.dto.js';
import { appliesTo, CodeKind, isUsableAt, type EventCode } from '../inventory/event-code.entity.js';
import { categoryNameKey, salesPhase, type TicketCategory } from '../inventory/ticket-category.entity.js';
import type { SeatLine } from '../inventory/seat-ledger.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';

/** Seats can be booked or held only for a scheduled event that has not yet taken place. */
export function assertOnSale(event: Pick<Event, 'id' | 'date' | 'status'>, now: Date): void {
  if (event.status === EventStatus.Cancelled) throw new EventCancelledError(event.id);
  if (hasTakenPlace(event, now)) throw new EventInPastError(event.id);
}

/** A line of a seat request as the buyer sent it: a category by name. */
export interface RequestedLine {
  categoryName: string;
  quantity: number;
  attendeeNames: string[];
}

/** The lines of a request in either of its forms, in the order sent. */
export function requestedLines(dto: CreateBookingDto): RequestedLine[] {
  const items = dto.items ?? [{ ticket_category: dto.ticket_category as string, quantity: dto.quantity as number, attendee_names: dto.attendee_names }];
  return items.map((item) => ({ categoryName: item.ticket_category, quantity: item.quantity, attendeeNames: item.attendee_names ?? [] }));
}

/** A code as the buyer typed it, and the event's code it names, if any. */
export interface RequestedCode {
  input: string;
  code: EventCode | undefined;
}

/**
 * Checks that need no lock, in the contract's order — the event is on sale, the code (if any) is
 * usable, the event has every category (a hidden one only for an access code that unlocks it),
 * the code applies to some line, every line's sales are open, no line takes more than its
 * category's per-booking limit, the order no more tickets than the event's — each finding the
 * first failing line in the order sent. Answers the lines by category.
 */
export function bookableLines(event: Event, lines: RequestedLine[], now: Date, requested?: RequestedCode): (SeatLine & { category: TicketCategory })[] {
  assertOnSale(event, now);
  const code = requested && usableCode(event, requested, now);
  const found = lines.map((line) => {
    const key = categoryNameKey(line.categoryName);
    const category = event.ticketCategories.find((candidate) => candidate.nameKey === key && (!candidate.hidden || unlocks(code, candidate)));
    if (!category) throw new TicketCategoryNotFoundError(event.id, line.categoryName);
    return { category, categoryId: category.id, quantity: line.quantity, attendeeNames: line.attendeeNames };
  });
  if (code && !found.some((line) => appliesTo(code, line.categoryId))) throw new CodeNotApplicableError(code.code);
  for (const { category } of found) assertSalesOpen(event, category, now);
  for (const { category, quantity } of found) {
    if (category.maxPerBooking !== null && quantity > category.maxPerBooking) throw new QuantityAboveLimitError(category.name, category.maxPerBooking);
  }
  const limit = event.maxTicketsPerBooking ?? MAX_PER_BOOKING;
  if (found.reduce((sum, line) => sum + line.quantity, 0) > limit) throw new TooManyTicketsError(limit);
  return found;
}

function usableCode(event: Event, { input, code }: RequestedCode, now: Date): EventCode {
  if (!code || !isUsableAt(code, now)) throw new CodeNotValidError(event.id, input);
  return code;
}

/** Only an access code opens a hidden category, and only one it applies to. */
function unlocks(code: EventCode | undefined, category: TicketCategory): boolean {
  return code !== undefined && code.kind === CodeKind.Access && appliesTo(code, category.id);
}

/** Sales of the category are open at `now`; the refusal says when they open or closed, as the time reads where the event is. */
export function assertSalesOpen(event: Pick<Event, 'timezone'>, category: TicketCategory, now: Date): void {
  const when = (date: Date) => `${localIsoDate(date, event.timezone)} (${event.timezone})`;
  const phase = salesPhase(category, now);
  if (phase === 'not_started') throw new SalesNotStartedError(category.name, category.salesStart as Date, when(category.salesStart as Date));
  if (phase === 'ended') throw new SalesEndedError(category.name, category.salesEnd as Date, when(category.salesEnd as Date));
}
