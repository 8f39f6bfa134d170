import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { BuiltQuery } from '../database/built-query.js';
import { ticketFromRow } from '../inventory/ledger-statements.js';
import { Ticket, TicketStatus } from '../inventory/ticket.entity.js';

export interface CategoryCheckIns {
  categoryId: number;
  tickets: number;
  checkedIn: number;
}

/** A scan that lost the race for its ticket reads it again, to say why: the SQL is built once, not by a find per scan. */
const ticketInEvent = new BuiltQuery((dataSource) => dataSource.getRepository(Ticket).createQueryBuilder('ticket').where('ticket.eventId = :eventId AND ticket.code = :code'));

/** Check-in writes one column of a ticket, by a conditional UPDATE: whichever scan matches first wins. */
@Injectable()
export class CheckInsRepository {
  constructor(@InjectRepository(Ticket) private readonly tickets: Repository<Ticket>) {}

  /** Undoes a check-in; answers whether the event has such a ticket. */
  async clearCheckIn(manager: EntityManager, eventId: number, code: string): Promise<boolean> {
    await manager.update(Ticket, { eventId, code }, { checkedInAt: null });
    return (await manager.countBy(Ticket, { eventId, code })) === 1;
  }

  async findInEvent(eventId: number, code: string): Promise<Ticket | null> {
    const [row] = await ticketInEvent.rows(this.tickets.manager.connection, { eventId, code });
    return row ? ticketFromRow(row) : null;
  }

  /** Valid tickets and how many of them are checked in, per category of the event that has any. */
  async summary(eventId: number): Promise<CategoryCheckIns[]> {
    const rows = await this.tickets
      .createQueryBuilder('ticket')
      .select('ticket.ticketCategoryId', 'categoryId')
      .addSelect('COUNT(*)', 'tickets')
      .addSelect('SUM(CASE WHEN ticket.checkedInAt IS NULL THEN 0 ELSE 1 END)', 'checkedIn')
      .where('ticket.eventId = :eventId AND ticket.status = :valid', { eventId, valid: TicketStatus.Valid })
      .groupBy('ticket.ticketCategoryId')
      .getRawMany<{ categoryId: number | string; tickets: number | string; checkedIn: number | string | null }>();
    return rows.map((row) => ({ categoryId: Number(row.categoryId), tickets: Number(row.tickets), checkedIn: Number(row.checkedIn ?? 0) }));
  }
}
