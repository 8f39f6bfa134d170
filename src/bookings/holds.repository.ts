import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, type EntityManager, type Repository } from 'typeorm';
import { Hold, HoldStatus } from '../inventory/hold.entity.js';
import { LineState, OrderLine } from '../inventory/order-line.entity.js';

const PURGE_BATCH = 500;

/** Reads of holds, and forgetting settled ones; the seat ledger is what writes their seats. */
@Injectable()
export class HoldsRepository {
  constructor(@InjectRepository(Hold) private readonly holds: Repository<Hold>) {}

  findByReference(reference: string): Promise<Hold | null> {
    return this.holds.findOneBy({ reference });
  }

  /** Categories with seats still held by holds past their expiry, at most `limit` of them. */
  async categoriesWithOverdueHolds(now: Date, limit: number): Promise<number[]> {
    const rows = await this.holds.manager
      .createQueryBuilder(OrderLine, 'line')
      .innerJoin(Hold, 'hold', 'hold.reference = line.reference')
      .select('DISTINCT line.ticketCategoryId', 'categoryId')
      .where('line.state = :held AND hold.expiresAt <= :now', { held: LineState.Held, now })
      .limit(limit)
      .getRawMany<{ categoryId: number | string }>();
    return rows.map((row) => Number(row.categoryId));
  }

  /**
   * Deletes expired and released holds whose time ran out before `before`, with their lines; their
   * seats were returned long ago. A confirmed hold's lines are its booking's and stay.
   */
  async deleteSettledBefore(manager: EntityManager, before: Date): Promise<void> {
    const settled = { status: In([HoldStatus.Expired, HoldStatus.Released]), expiresAt: LessThan(before) };
    const references = (await manager.find(Hold, { select: { reference: true }, where: settled })).map((hold) => hold.reference);
    for (let start = 0; start < references.length; start += PURGE_BATCH) {
      const batch = references.slice(start, start + PURGE_BATCH);
      await manager.delete(OrderLine, { reference: In(batch) });
      await manager.delete(Hold, { reference: In(batch) });
    }
  }
}
