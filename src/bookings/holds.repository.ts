import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, LessThanOrEqual, type EntityManager, type Repository } from 'typeorm';
import { Hold, HoldStatus } from '../inventory/hold.entity.js';

/** Reads of holds, and forgetting settled ones; the seat ledger is what writes their seats. */
@Injectable()
export class HoldsRepository {
  constructor(@InjectRepository(Hold) private readonly holds: Repository<Hold>) {}

  findByReference(reference: string): Promise<Hold | null> {
    return this.holds.findOneBy({ reference });
  }

  /** Categories with active holds past their expiry, at most `limit` of them. */
  async categoriesWithOverdueHolds(now: Date, limit: number): Promise<number[]> {
    const rows = await this.holds
      .createQueryBuilder('hold')
      .select('DISTINCT hold.ticketCategoryId', 'categoryId')
      .where({ status: HoldStatus.Active, expiresAt: LessThanOrEqual(now) })
      .limit(limit)
      .getRawMany<{ categoryId: number | string }>();
    return rows.map((row) => Number(row.categoryId));
  }

  /** Deletes expired and released holds whose time ran out before `before`; their seats were returned long ago. */
  async deleteSettledBefore(manager: EntityManager, before: Date): Promise<void> {
    await manager.delete(Hold, { status: In([HoldStatus.Expired, HoldStatus.Released]), expiresAt: LessThan(before) });
  }
}
