import type { Event } from '../events/event.entity.js';
import { categoryNameOf } from '../bookings/booking-details.js';
import type { AttendeeRow } from './tickets.repository.js';

export const ATTENDEE_COLUMNS = ['booking_reference', 'ticket_code', 'ticket_category', 'attendee_name', 'customer_name', 'customer_email', 'status', 'checked_in_at'] as const;

/** A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field. A value a spreadsheet would run as a formula is neutralised as OWASP
 * recommends, prefixed with a single quote and the text kept, so a buyer named `=HYPERLINK(…)` is
 * harmless to the organiser who opens the file; an empty value is an empty cell.
 */
export function csvField(value: string | null): string {
  if (value === null || value === '') return '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== value ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: (string | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function attendeeLine({ ticket, customerName, customerEmail }: AttendeeRow, event: Pick<Event, 'id' | 'ticketCategories'>): string {
  return csvLine([
    ticket.reference,
    ticket.code,
    categoryNameOf(event, ticket.ticketCategoryId),
    ticket.attendeeName,
    customerName,
    customerEmail,
    ticket.status,
    ticket.checkedInAt?.toISOString() ?? null,
  ]);
}
