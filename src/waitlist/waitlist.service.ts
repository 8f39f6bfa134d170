import { Inject, Injectable } from '@nestjs/common';
import { WaitlistEntryClosedError, WaitlistEntryNotFoundError } from '../common/domain-error.js';
import { decodeIdCursor, pageOf } from '../common/page-cursor.js';
import { findByReference } from '../common/reference.js';
import { categoryNameOf } from '../bookings/booking-details.js';
import { bookableLines } from '../bookings/sales-rules.js';
import { DEFAULT_PAGE_SIZE } from '../events/dto/list-events.query.js';
import type { Event } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { SEAT_LEDGER, type SeatLedger } from '../inventory/seat-ledger.js';
import { WaitlistStatus, type WaitlistEntry } from '../inventory/waitlist-entry.entity.js';
import type { JoinWaitlistDto } from './dto/join-waitlist.dto.js';
import type { ListWaitlistQuery } from './dto/list-waitlist.query.js';
import { WaitlistRepository } from './waitlist.repository.js';

/** An entry with what its answer names: its category's name and, while it waits, its place in line. */
export interface WaitlistEntryDetails {
  entry: WaitlistEntry;
  categoryName: string;
  position: number | null;
}

export interface WaitlistPage {
  entries: WaitlistEntryDetails[];
  nextCursor: string | undefined;
  limit: number;
}

@Injectable()
export class WaitlistService {
  constructor(
    private readonly entries: WaitlistRepository,
    private readonly events: EventsService,
    @Inject(SEAT_LEDGER) private readonly ledger: SeatLedger,
  ) {}

  /**
   * The checks of a booking of the same seats, in the same order (an offer is a hold, and a hold
   * obeys them); the ledger then decides under the category's lock whether the seats are there.
   */
  async join(eventId: number, dto: JoinWaitlistDto): Promise<WaitlistEntryDetails> {
    const event = await this.events.findOne(eventId);
    const [line] = bookableLines(event, [{ categoryName: dto.ticket_category, quantity: dto.quantity, attendeeNames: [] }], new Date());
    const { entry, position } = await this.ledger.joinWaitlist({
      eventId: event.id,
      categoryId: line.categoryId,
      quantity: line.quantity,
      customerEmail: dto.customer_email,
      customerName: dto.customer_name ?? null,
    });
    return { entry, categoryName: line.category.name, position };
  }

  async findByReference(reference: string): Promise<WaitlistEntryDetails> {
    const entry = await this.find(reference);
    return (await this.detailsOf(this.events.findOne(entry.eventId), [entry]))[0];
  }

  /**
   * Withdrawing twice answers the same; an entry converted into a booking or expired cannot be
   * withdrawn (the booking is cancelled as a booking).
   */
  async withdraw(reference: string): Promise<void> {
    const entry = await this.find(reference);
    if (entry.status === WaitlistStatus.Withdrawn) return;
    const current = entry.status === WaitlistStatus.Waiting || entry.status === WaitlistStatus.Offered ? await this.ledger.withdrawFromWaitlist(entry) : entry;
    if (current.status !== WaitlistStatus.Withdrawn) throw new WaitlistEntryClosedError(entry.reference, current.status);
  }

  /** The organiser's view of an event's waiting lists, oldest first, keyset-paginated by id. */
  async listForEvent(eventId: number, organizerId: number, query: ListWaitlistQuery): Promise<WaitlistPage> {
    const event = await this.events.findOwned(eventId, organizerId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.cursor === undefined ? 0 : decodeIdCursor(query.cursor);
    const { items, nextCursor } = pageOf(await this.entries.findForEvent(eventId, afterId, limit, query.status), limit, (entry) => entry.id);
    return { entries: await this.detailsOf(event, items), nextCursor, limit };
  }

  private find(reference: string): Promise<WaitlistEntry> {
    return findByReference(reference, (normalised) => this.entries.findByReference(normalised), (input) => new WaitlistEntryNotFoundError(input));
  }

  /** Entries of one event, named by its categories; the event may still be on its way, read beside the positions. */
  private async detailsOf(event: Event | Promise<Event>, entries: WaitlistEntry[]): Promise<WaitlistEntryDetails[]> {
    const [known, positions] = await Promise.all([event, this.entries.positionsOf(entries)]);
    return entries.map((entry) => ({ entry, categoryName: categoryNameOf(known, entry.ticketCategoryId), position: positions.get(entry.id) ?? null }));
  }
}
