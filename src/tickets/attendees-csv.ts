import type { Event } from '../events/event.entity.js';
import { categoryNameOf } from '../bookings/booking-details.js';
import type { AttendeeRow } from './tickets.repository.js';

export const ATTENDEE_COLUMNS = ['booking_reference', 'ticket_code', 'ticket_category', 'attendee_name', 'customer_name', 'customer_email', 'status', 'checked_in_at'] as const;

/** A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field; an empty value is an empty cell. */
function csvField(value: string | null): string {
  if (value === null || value === '') return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A field of text someone typed (a buyer's or attendee's name, a category name). One a spreadsheet
 * would run as a formula is neutralised as OWASP recommends, prefixed with a single quote and quoted
 * with the text kept, so a buyer named `=HYPERLINK(…)` is harmless to the organiser who opens the
 * file. The service's own values (references, ticket codes, which may start with `-`) are never
 * formulas and stay as issued, so a scanner or a script can match them.
 */
function typedText(value: string | null): string {
  if (value === null || !FORMULA_START.test(value)) return csvField(value);
  return `"'${value.replaceAll('"', '""')}"`;
}

function csvLine(fields: string[]): string {
  return `${fields.join(',')}\r\n`;
}

export const ATTENDEE_HEADER = csvLine(ATTENDEE_COLUMNS.map(csvField));

export function attendeeLine({ ticket, customerName, customerEmail }: AttendeeRow, event: Pick<Event, 'id' | 'ticketCategories'>): string {
  return csvLine([
    csvField(ticket.reference),
    csvField(ticket.code),
    typedText(categoryNameOf(event, ticket.ticketCategoryId)),
    typedText(ticket.attendeeName),
    typedText(customerName),
    typedText(customerEmail),
    csvField(ticket.status),
    csvField(ticket.checkedInAt?.toISOString() ?? null),
  ]);
}
