import { ErrorCode } from '../common/error-code.js';
import { codeRefusal, discountedPrice, exhaustion } from './code-rules.js';
import { CodeKind, EventCode } from './event-code.entity.js';

const percent = (discountPercent: number) => ({ discountPercent, discountAmountCents: null });
const amount = (discountAmountCents: number) => ({ discountPercent: null, discountAmountCents });

function code(overrides: Partial<EventCode> = {}): EventCode {
  return Object.assign(new EventCode(), {
    id: 1,
    eventId: 7,
    code: 'EARLY',
    kind: CodeKind.Discount,
    discountPercent: 10,
    discountAmountCents: null,
    maxUses: null,
    uses: 0,
    validFrom: null,
    validUntil: null,
    ticketCategoryIds: null,
    disabledAt: null,
    createdAt: new Date(),
    ...overrides,
  });
}

describe('discountedPrice', () => {
  it('takes a percentage in whole cents, rounded half up: 9.99 at 33 % off is 6.69', () => {
    expect(discountedPrice(999, percent(33), 'EUR')).toBe(669);
  });

  it.each([
    [1000, 25, 750],
    [999, 50, 499],
    [1, 50, 0],
    [3, 50, 1],
    [1999, 15, 1699],
    [5, 10, 4],
    [4, 10, 4],
    [0, 30, 0],
    [15000, 100, 0],
  ])('%i cents at %i %% off cost %i cents', (price, off, paid) => {
    expect(discountedPrice(price, percent(off), 'EUR')).toBe(paid);
  });

  it('takes a percentage of a JPY price in whole yen: 1,500 at 33 % is 495 off', () => {
    expect(discountedPrice(150_000, percent(33), 'JPY')).toBe(100_500);
    expect(discountedPrice(100, percent(50), 'JPY')).toBe(0);
  });

  it('takes an amount as it is, and never below 0', () => {
    expect(discountedPrice(5000, amount(1250), 'EUR')).toBe(3750);
    expect(discountedPrice(1000, amount(2500), 'EUR')).toBe(0);
  });

  it('leaves the price of a code without a discount (an access code) as it is', () => {
    expect(discountedPrice(5000, { discountPercent: null, discountAmountCents: null }, 'EUR')).toBe(5000);
  });
});

describe('codeRefusal and exhaustion', () => {
  const now = new Date('2027-03-01T12:00:00Z');

  it('refuses a disabled code, or one outside its window (from inclusive, until exclusive), as not valid', () => {
    expect(codeRefusal(code({ disabledAt: now }), [1], now)?.code).toBe(ErrorCode.CodeNotValid);
    expect(codeRefusal(code({ validFrom: new Date(now.getTime() + 1) }), [1], now)?.code).toBe(ErrorCode.CodeNotValid);
    expect(codeRefusal(code({ validFrom: now }), [1], now)).toBeUndefined();
    expect(codeRefusal(code({ validUntil: now }), [1], now)?.code).toBe(ErrorCode.CodeNotValid);
    expect(codeRefusal(code({ validUntil: new Date(now.getTime() + 1) }), [1], now)).toBeUndefined();
  });

  it('refuses a code that applies to none of the lines as not applicable', () => {
    expect(codeRefusal(code({ ticketCategoryIds: [3] }), [1, 2], now)?.code).toBe(ErrorCode.CodeNotApplicable);
    expect(codeRefusal(code({ ticketCategoryIds: [3] }), [1, 3], now)).toBeUndefined();
  });

  it('is exhausted once its uses reach max_uses, never without a limit', () => {
    expect(exhaustion(code({ maxUses: 2, uses: 1 }))).toBeUndefined();
    expect(exhaustion(code({ maxUses: 2, uses: 2 }))?.code).toBe(ErrorCode.CodeExhausted);
    expect(exhaustion(code({ maxUses: null, uses: 1_000_000 }))).toBeUndefined();
  });
});
