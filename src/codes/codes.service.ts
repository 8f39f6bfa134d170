import { Injectable } from '@nestjs/common';
import { CodeAlreadyExistsError, CodeNotFoundError, MaxUsesBelowUsesError, TicketCategoryNotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { inexactAmountMessage, isExactIn } from '../common/currency.js';
import { centsToAmount, toCents } from '../common/money.js';
import { decodeIdCursor, pageOf } from '../common/page-cursor.js';
import { isDuplicateKeyError } from '../database/database-errors.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { DEFAULT_PAGE_SIZE, type ListEventsQuery } from '../events/dto/list-events.query.js';
import type { Event } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { appliesTo, CodeKind, codeKey, type EventCode } from '../inventory/event-code.entity.js';
import { categoryNameKey } from '../inventory/ticket-category.entity.js';
import { CodesRepository, type CodeTerms } from './codes.repository.js';
import { CODE_PATTERN, type CreateCodeDto } from './dto/create-code.dto.js';
import type { UpdateCodeDto } from './dto/update-code.dto.js';

/** A code with the event it belongs to, whose categories name what it applies to. */
export interface CodeDetails {
  code: EventCode;
  event: Event;
}

export interface CodePage {
  codes: CodeDetails[];
  nextCursor: string | undefined;
  limit: number;
}

/** Discount and access codes: the organiser's rules for them. Their uses are counted by the seat ledger. */
@Injectable()
export class CodesService {
  constructor(
    private readonly codes: CodesRepository,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(eventId: number, organizerId: number, dto: CreateCodeDto): Promise<CodeDetails> {
    const event = await this.events.findChangeable(eventId, organizerId);
    const key = codeKey(dto.code);
    const terms = checkedTerms(event, dto.kind, {
      discountPercent: dto.discount_percent ?? null,
      discountAmountCents: dto.discount_amount === undefined || dto.discount_amount === null ? null : toCents(dto.discount_amount),
      maxUses: dto.max_uses ?? null,
      validFrom: dto.valid_from ? new Date(dto.valid_from) : null,
      validUntil: dto.valid_until ? new Date(dto.valid_until) : null,
      ticketCategoryIds: dto.ticket_categories ? categoryIdsOf(event, dto.ticket_categories) : null,
    });
    if (await this.codes.findByKey(event.id, key)) throw new CodeAlreadyExistsError(event.id, key);
    let id: number;
    try {
      id = await this.transactions.run((manager) =>
        this.codes.insert(manager, { eventId: event.id, code: key, kind: dto.kind, ...terms, uses: 0, disabledAt: null, createdAt: new Date() }),
      );
    } catch (error) {
      // Another request created the same code between the check and the insert.
      if (isDuplicateKeyError(error)) throw new CodeAlreadyExistsError(event.id, key);
      throw error;
    }
    return { code: await this.codes.findById(id), event };
  }

  /** The event's codes with their uses, oldest first, keyset-paginated by id; past and cancelled events too. */
  async list(eventId: number, organizerId: number, query: ListEventsQuery): Promise<CodePage> {
    const event = await this.events.findOwned(eventId, organizerId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.cursor === undefined ? 0 : decodeIdCursor(query.cursor);
    const { items, nextCursor } = pageOf(await this.codes.findForEvent(event.id, afterId, limit), limit, (code) => code.id);
    return { codes: items.map((code) => ({ code, event })), nextCursor, limit };
  }

  /**
   * Changes a code under its row's lock, so a new max_uses is checked against the uses counted at
   * that moment (bookings lock it too). Bookings and holds made before keep their price.
   */
  async update(eventId: number, organizerId: number, input: string, dto: UpdateCodeDto): Promise<CodeDetails> {
    const event = await this.events.findChangeable(eventId, organizerId);
    const { id } = await this.find(event, input);
    await this.transactions.run(async (manager) => {
      const current = await this.codes.lock(manager, id);
      const changes = changedTerms(event, dto);
      // A price lowered since is no reason to refuse a change that leaves the amount and its categories alone.
      const pricesToCheck = changes.discountAmountCents !== undefined || changes.ticketCategoryIds !== undefined;
      const terms = checkedTerms(event, current.kind, { ...termsOf(current), ...changes }, pricesToCheck);
      if (terms.maxUses !== null && terms.maxUses < current.uses) throw new MaxUsesBelowUsesError(current.uses);
      await this.codes.update(manager, id, changes);
    });
    return { code: await this.codes.findById(id), event };
  }

  /** Later bookings and holds with the code fail; earlier ones keep their price and their use. Disabling again changes nothing. */
  async disable(eventId: number, organizerId: number, input: string): Promise<CodeDetails> {
    const event = await this.events.findChangeable(eventId, organizerId);
    const { id } = await this.find(event, input);
    await this.transactions.run((manager) => this.codes.disable(manager, id, new Date()));
    return { code: await this.codes.findById(id), event };
  }

  /** The code a buyer typed, as stored; undefined when the event has none such (disabled ones included). */
  findForRedemption(eventId: number, input: string): Promise<EventCode | undefined> {
    return this.codes.findByKey(eventId, codeKey(input));
  }

  private async find(event: Event, input: string): Promise<EventCode> {
    const code = CODE_PATTERN.test(input) ? await this.codes.findByKey(event.id, codeKey(input)) : undefined;
    if (!code) throw new CodeNotFoundError(event.id, input);
    return code;
  }
}

function termsOf(code: EventCode): CodeTerms {
  const { discountPercent, discountAmountCents, maxUses, validFrom, validUntil, ticketCategoryIds } = code;
  return { discountPercent, discountAmountCents, maxUses, validFrom, validUntil, ticketCategoryIds };
}

/** The fields a PATCH sends, as stored; null removes. */
function changedTerms(event: Event, dto: UpdateCodeDto): Partial<CodeTerms> {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    ...(dto.discount_percent !== undefined && { discountPercent: dto.discount_percent }),
    ...(dto.discount_amount !== undefined && { discountAmountCents: dto.discount_amount === null ? null : toCents(dto.discount_amount) }),
    ...(dto.max_uses !== undefined && { maxUses: dto.max_uses }),
    ...(dto.valid_from !== undefined && { validFrom: date(dto.valid_from) }),
    ...(dto.valid_until !== undefined && { validUntil: date(dto.valid_until) }),
    ...(dto.ticket_categories !== undefined && { ticketCategoryIds: dto.ticket_categories === null ? null : categoryIdsOf(event, dto.ticket_categories) }),
  };
}

/** Category names to ids, in the event as the organiser sees it (hidden ones included). */
function categoryIdsOf(event: Event, names: string[]): number[] {
  const keys = names.map(categoryNameKey);
  if (new Set(keys).size !== keys.length) throw new ValidationFailedError(['ticket_categories must name each category once (compared case-insensitively)']);
  return names.map((name) => {
    const category = event.ticketCategories.find((candidate) => candidate.nameKey === categoryNameKey(name));
    if (!category) throw new TicketCategoryNotFoundError(event.id, name);
    return category.id;
  });
}

/** The rules a code's terms follow, at creation and after every change; answers the terms when they hold. */
function checkedTerms(event: Event, kind: CodeKind, terms: CodeTerms, pricesToCheck = true): CodeTerms {
  const problems: string[] = [];
  const { discountPercent: percent, discountAmountCents: amount } = terms;
  if (percent !== null && amount !== null) problems.push('a code takes discount_percent or discount_amount, not both (send the other as null to switch)');
  if (kind === CodeKind.Discount && percent === null && amount === null) problems.push('a discount code needs discount_percent or discount_amount');
  if (amount !== null && !isExactIn(amount, event.currency)) problems.push(inexactAmountMessage('discount_amount', event.currency));
  if (amount !== null && pricesToCheck) {
    for (const category of event.ticketCategories) {
      if (appliesTo(terms, category.id) && category.priceCents < amount) {
        problems.push(`discount_amount must not exceed the price of every category it applies to: "${category.name}" costs ${centsToAmount(category.priceCents)}`);
      }
    }
  }
  if (terms.validFrom !== null && terms.validUntil !== null && terms.validUntil.getTime() <= terms.validFrom.getTime()) problems.push('valid_until must be later than valid_from');
  if (problems.length > 0) throw new ValidationFailedError(problems);
  return terms;
}
