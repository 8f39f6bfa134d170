import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { EventNotFoundError } from '../common/domain-error.js';
import { toCents } from '../common/money.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { CreateEventDto } from './dto/create-event.dto.js';
import { DEFAULT_PAGE_SIZE, type ListEventsQuery } from './dto/list-events.query.js';
import { Event } from './event.entity.js';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';
import { categoryNameKey, TicketCategory } from './ticket-category.entity.js';

export interface EventPage {
  events: Event[];
  nextCursor: string | undefined;
  limit: number;
}

@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    @InjectRepository(TicketCategory) private readonly categories: Repository<TicketCategory>,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(dto: CreateEventDto): Promise<Event> {
    const event = this.events.create({
      name: dto.name,
      venue: dto.venue,
      details: dto.details ?? null,
      date: new Date(dto.date),
      createdAt: new Date(),
      ticketCategories: dto.ticket_categories.map((category) =>
        this.categories.create({
          name: category.name,
          nameKey: categoryNameKey(category.name),
          priceCents: toCents(category.price),
          seatsLimit: category.seats_limit,
          seatsSold: category.seats_sold ?? 0,
        }),
      ),
    });
    return this.transactions.run((manager) => manager.save(event));
  }

  /** The event with its categories in one query; past events too. */
  async findOne(id: number): Promise<Event> {
    const event = await this.events.findOne({ where: { id }, relations: { ticketCategories: true } });
    if (!event) throw new EventNotFoundError(id);
    return event;
  }

  /** Upcoming events by (date, id), keyset-paginated so deep pages cost the same as the first. */
  async findUpcoming(query: ListEventsQuery): Promise<EventPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = this.events
      .createQueryBuilder('event')
      .where('event.date > :now', { now: new Date() })
      .orderBy('event.date', 'ASC')
      .addOrderBy('event.id', 'ASC')
      .limit(limit + 1);
    if (query.cursor !== undefined) {
      const after = decodeEventCursor(query.cursor);
      builder.andWhere('(event.date > :afterDate OR (event.date = :afterDate AND event.id > :afterId))', {
        afterDate: after.date,
        afterId: after.id,
      });
    }
    const rows = await builder.getMany();
    const events = rows.slice(0, limit);
    await this.attachCategories(events);
    const last = events.at(-1);
    const nextCursor = rows.length > limit && last ? encodeEventCursor(last) : undefined;
    return { events, nextCursor, limit };
  }

  private async attachCategories(events: Event[]): Promise<void> {
    if (events.length === 0) return;
    const byEventId = new Map(events.map((event) => [event.id, event]));
    for (const event of events) event.ticketCategories = [];
    const categories = await this.categories.find({ where: { eventId: In([...byEventId.keys()]) } });
    for (const category of categories) byEventId.get(category.eventId)?.ticketCategories.push(category);
  }
}
