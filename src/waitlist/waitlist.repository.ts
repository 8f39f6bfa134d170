import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type Repository } from 'typeorm';
import { WaitlistEntry, WaitlistStatus } from '../inventory/waitlist-entry.entity.js';

/** Reads of waiting lists; the seat ledger is what writes them. */
@Injectable()
export class WaitlistRepository {
  constructor(@InjectRepository(WaitlistEntry) private readonly entries: Repository<WaitlistEntry>) {}

  findByReference(reference: string): Promise<WaitlistEntry | null> {
    return this.entries.findOneBy({ reference });
  }

  findForEvent(eventId: number, afterId: number, limit: number, status: WaitlistStatus | undefined): Promise<WaitlistEntry[]> {
    return this.entries.find({
      where: { eventId, id: MoreThan(afterId), ...(status && { status }) },
      order: { id: 'ASC' },
      take: limit + 1,
    });
  }

  /** Each waiting entry's place in its category's line (1 for the first), by entry id. */
  async positionsOf(entries: WaitlistEntry[]): Promise<Map<number, number>> {
    const ids = entries.filter((entry) => entry.status === WaitlistStatus.Waiting).map((entry) => entry.id);
    if (ids.length === 0) return new Map();
    const rows = await this.entries
      .createQueryBuilder('entry')
      .innerJoin(WaitlistEntry, 'ahead', 'ahead.ticketCategoryId = entry.ticketCategoryId AND ahead.status = :waiting AND ahead.id <= entry.id', { waiting: WaitlistStatus.Waiting })
      .select('entry.id', 'id')
      .addSelect('COUNT(ahead.id)', 'position')
      .where('entry.id IN (:...ids)', { ids })
      .groupBy('entry.id')
      .getRawMany<{ id: number | string; position: number | string }>();
    return new Map(rows.map((row) => [Number(row.id), Number(row.position)]));
  }
}
