import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type EntityManager, type Repository } from 'typeorm';
import { supportsRowLocks } from '../database/row-locks.js';
import { EventCode } from '../inventory/event-code.entity.js';

/** What a code's owner may change; its uses are the seat ledger's. */
export type CodeTerms = Pick<EventCode, 'discountPercent' | 'discountAmountCents' | 'maxUses' | 'validFrom' | 'validUntil' | 'ticketCategoryIds'>;

/** The queries of event codes, but for their use counter, which the seat ledger keeps. */
@Injectable()
export class CodesRepository {
  constructor(@InjectRepository(EventCode) private readonly codes: Repository<EventCode>) {}

  /** `key` is the code as stored (codeKey()). */
  async findByKey(eventId: number, key: string): Promise<EventCode | undefined> {
    return (await this.codes.findOneBy({ eventId, code: key })) ?? undefined;
  }

  /** The event's codes after `afterId`, oldest first: one more than `limit`, to tell whether a next page exists. */
  findForEvent(eventId: number, afterId: number, limit: number): Promise<EventCode[]> {
    return this.codes.find({ where: { eventId, id: MoreThan(afterId) }, order: { id: 'ASC' }, take: limit + 1 });
  }

  async insert(manager: EntityManager, code: Omit<EventCode, 'id'>): Promise<number> {
    const result = await manager.insert(EventCode, code);
    return Number(result.identifiers[0].id);
  }

  /** The code as it is now, its row locked until the caller's transaction ends (on MySQL; SQLite's write transactions are exclusive). */
  async lock(manager: EntityManager, id: number): Promise<EventCode> {
    const query = manager.createQueryBuilder(EventCode, 'code').where('code.id = :id', { id });
    return (supportsRowLocks(manager) ? query.setLock('pessimistic_write') : query).getOneOrFail();
  }

  async update(manager: EntityManager, id: number, terms: Partial<CodeTerms>): Promise<void> {
    if (Object.keys(terms).length > 0) await manager.update(EventCode, { id }, terms);
  }

  async disable(manager: EntityManager, id: number, now: Date): Promise<void> {
    await manager.createQueryBuilder().update(EventCode).set({ disabledAt: now }).where('id = :id AND disabled_at IS NULL', { id }).execute();
  }

  findById(id: number): Promise<EventCode> {
    return this.codes.findOneByOrFail({ id });
  }
}
