import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import { TicketNotFoundError } from '../common/domain-error.js';
import { isTicketCode } from '../common/ticket-code.js';
import type { Event } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import type { Ticket } from '../inventory/ticket.entity.js';
import { ATTENDEE_HEADER, attendeeLine } from './attendees-csv.js';
import { TicketsRepository } from './tickets.repository.js';

/** Tickets read a page at a time, so an event's list is never held in memory whole. */
const ATTENDEE_PAGE = 1_000;

export const QR_FORMATS = ['png', 'svg'] as const;
export type QrFormat = (typeof QR_FORMATS)[number];
export const QR_CONTENT_TYPES: Record<QrFormat, string> = { png: 'image/png', svg: 'image/svg+xml' };

export function isQrFormat(format: string): format is QrFormat {
  return (QR_FORMATS as readonly string[]).includes(format);
}

export interface TicketDetails {
  ticket: Ticket;
  event: Event;
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly events: EventsService,
  ) {}

  /** Anyone with the code may see the ticket: it can be forwarded to a friend. */
  async findByCode(code: string): Promise<TicketDetails> {
    const ticket = isTicketCode(code) ? await this.tickets.findByCode(code) : null;
    if (!ticket) throw new TicketNotFoundError();
    return { ticket, event: await this.events.findOne(ticket.eventId) };
  }

  /** The QR code holds the ticket's code alone: what a scanner reads and sends to check-in. */
  async qrCode(code: string, format: QrFormat): Promise<Buffer | string> {
    const { ticket } = await this.findByCode(code);
    const options = { errorCorrectionLevel: 'M', margin: 2 } as const;
    return format === 'png' ? QRCode.toBuffer(ticket.code, { ...options, type: 'png', width: 300 }) : QRCode.toString(ticket.code, { ...options, type: 'svg' });
  }

  /** The owner's attendee list as CSV lines, read and written a page at a time. */
  async attendeeList(eventId: number, organizerId: number): Promise<AsyncIterable<string>> {
    const event = await this.events.findOwned(eventId, organizerId);
    const tickets = this.tickets;
    return (async function* lines() {
      yield ATTENDEE_HEADER;
      for (let afterId = 0; ; ) {
        const page = await tickets.attendeesAfter(event.id, afterId, ATTENDEE_PAGE);
        if (page.length === 0) return;
        yield page.map((row) => attendeeLine(row, event)).join('');
        afterId = page[page.length - 1].ticket.id;
      }
    })();
  }
}
