import { CodeExhaustedError, CodeNotApplicableError, CodeNotValidError } from '../common/domain-error.js';
import { centsPerMinorUnit } from '../common/currency.js';
import { appliesTo, isUsableAt, type EventCode } from './event-code.entity.js';

/**
 * A ticket's price after the code's discount, in cents. A percentage is taken in whole minor
 * units of the currency (cents; yen for JPY), rounded half up: 9.99 at 33 % is 3.2967 off, so
 * 3.30, and 6.69 is paid. An amount is taken as it is. Never below 0.
 */
export function discountedPrice(priceCents: number, code: Pick<EventCode, 'discountPercent' | 'discountAmountCents'>, currency: string): number {
  if (code.discountPercent !== null) {
    const unit = centsPerMinorUnit(currency);
    const minor = priceCents / unit;
    const off = Math.floor((minor * code.discountPercent + 50) / 100);
    return Math.max(0, (minor - off) * unit);
  }
  if (code.discountAmountCents !== null) return Math.max(0, priceCents - code.discountAmountCents);
  return priceCents;
}

/**
 * Why the order cannot use the code, checked on its locked row before anything else: disabled or
 * outside its window since the order was validated, or (changed since) applying to none of its lines.
 */
export function codeRefusal(code: EventCode, categoryIds: number[], now: Date): CodeNotValidError | CodeNotApplicableError | undefined {
  if (!isUsableAt(code, now)) return new CodeNotValidError(code.eventId, code.code);
  if (!categoryIds.some((categoryId) => appliesTo(code, categoryId))) return new CodeNotApplicableError(code.code);
  return undefined;
}

/** Checked on the locked row once the seats are known to fit: a use left, or CODE_EXHAUSTED. */
export function exhaustion(code: EventCode): CodeExhaustedError | undefined {
  return code.maxUses !== null && code.uses >= code.maxUses ? new CodeExhaustedError(code.code) : undefined;
}
