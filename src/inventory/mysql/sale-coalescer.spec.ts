import { jest } from '@jest/globals';
import { BusyTryAgainError, InsufficientSeatsError, type DomainError } from '../../common/domain-error.js';
import { ErrorCode } from '../../common/error-code.js';
import { Booking } from '../booking.entity.js';
import type { Sale, SeatOrder } from '../seat-ledger.js';
import { BoundedSale, NobodyWaiting } from './bounded-sale.js';
import { MAX_BATCH, SaleCoalescer, type SaleTransactions } from './sale-coalescer.js';

const BOUND_MS = 60_000;

function request(quantity: number, categoryId = 1, boundMs = BOUND_MS): BoundedSale {
  const order: SeatOrder = { eventId: 1, lines: [{ categoryId, quantity, attendeeNames: [] }], buyer: { name: null, email: null } };
  return new BoundedSale(order, { written: () => ({ type: 'booking.confirmed', eventId: 1, data: { id: 0, reference: '' } }), soldOut: () => ({ type: 'category.sold_out', eventId: 1, data: {} }) }, boundMs);
}

const quantityOf = (order: SeatOrder) => order.lines[0].quantity;

function bookingFor(order: SeatOrder): Sale {
  return { booking: Object.assign(new Booking(), { quantity: quantityOf(order) }), lines: [], tickets: [] };
}

/**
 * Transactions that book everything, each waiting for its lock until the test lets it have it,
 * so that the requests arriving meanwhile queue behind it; as the adapter does, a transaction
 * sells only to the buyers it can still claim once it has the lock.
 */
function heldTransactions() {
  const waiting: (() => void)[] = [];
  const held = () => new Promise<void>((resolve) => waiting.push(resolve));
  const transactions = {
    sellAlone: jest.fn(async (sale: BoundedSale) => {
      await held();
      if (!sale.claim()) throw new NobodyWaiting();
      return bookingFor(sale.request);
    }),
    sellTogether: jest.fn(async (batch: BoundedSale[]): Promise<(Sale | DomainError | undefined)[]> => {
      await held();
      return batch.map((sale) => (sale.claim() ? bookingFor(sale.request) : undefined));
    }),
  } satisfies SaleTransactions;
  const finishRunning = async () => {
    while (waiting.length === 0) await new Promise((resolve) => setImmediate(resolve));
    waiting.shift()?.();
  };
  return { transactions, finishRunning };
}

describe('SaleCoalescer', () => {
  it('starts a lone request at once, in a transaction of its own', async () => {
    const { transactions, finishRunning } = heldTransactions();
    const sold = new SaleCoalescer(transactions).sell(request(2));
    await finishRunning();
    await expect(sold).resolves.toMatchObject({ booking: { quantity: 2 } });
    expect(transactions.sellAlone).toHaveBeenCalledTimes(1);
    expect(transactions.sellTogether).not.toHaveBeenCalled();
  });

  it('sells the requests that queued behind a running transaction together, in arrival order, in the next one', async () => {
    const { transactions, finishRunning } = heldTransactions();
    const coalescer = new SaleCoalescer(transactions);
    const first = coalescer.sell(request(1));
    const queued = [2, 3, 1].map((quantity) => coalescer.sell(request(quantity)));
    await finishRunning();
    await finishRunning();
    await expect(first).resolves.toMatchObject({ booking: { quantity: 1 } });
    expect((await Promise.all(queued)).map((sale) => sale.booking.quantity)).toEqual([2, 3, 1]);
    expect(transactions.sellTogether).toHaveBeenCalledTimes(1);
    expect(transactions.sellTogether.mock.calls[0][0].map((each) => quantityOf(each.request))).toEqual([2, 3, 1]);
  });

  it('queues per category: a transaction on one category does not hold back another', async () => {
    const { transactions, finishRunning } = heldTransactions();
    const coalescer = new SaleCoalescer(transactions);
    const one = coalescer.sell(request(1, 1));
    const other = coalescer.sell(request(1, 2));
    await finishRunning();
    await finishRunning();
    await Promise.all([one, other]);
    expect(transactions.sellAlone).toHaveBeenCalledTimes(2);
  });

  it(`takes at most ${MAX_BATCH} requests per transaction`, async () => {
    const { transactions, finishRunning } = heldTransactions();
    const coalescer = new SaleCoalescer(transactions);
    const all = [coalescer.sell(request(1)), ...Array.from({ length: MAX_BATCH + 5 }, () => coalescer.sell(request(1)))];
    for (let i = 0; i < 3; i++) await finishRunning();
    await Promise.all(all);
    expect(transactions.sellTogether.mock.calls.map(([batch]) => batch.length)).toEqual([MAX_BATCH, 5]);
  });

  it('gives each request of a batch its own outcome: a refusal rejects only that request', async () => {
    const { transactions, finishRunning } = heldTransactions();
    transactions.sellTogether.mockImplementationOnce(async (batch) =>
      batch.map(({ request: one }) => (quantityOf(one) > 2 ? new InsufficientSeatsError('Hot', quantityOf(one), 2) : bookingFor(one))),
    );
    const coalescer = new SaleCoalescer(transactions);
    const first = coalescer.sell(request(1));
    const [two, four] = [2, 4].map((quantity) => coalescer.sell(request(quantity)).catch((error: unknown) => error));
    await finishRunning();
    await first;
    await expect(two).resolves.toMatchObject({ booking: { quantity: 2 } });
    await expect(four).resolves.toMatchObject({ code: ErrorCode.InsufficientSeats });
  });

  it("runs each request again on its own when the batch fails, so one request's bad data does not fail its neighbours", async () => {
    const { transactions, finishRunning } = heldTransactions();
    transactions.sellTogether.mockRejectedValueOnce(new Error('Incorrect string value'));
    const coalescer = new SaleCoalescer(transactions);
    const first = coalescer.sell(request(1));
    const queued = [coalescer.sell(request(2)), coalescer.sell(request(3))];
    await finishRunning();
    await first;
    await finishRunning();
    await finishRunning();
    expect((await Promise.all(queued)).map((sale) => sale.booking.quantity)).toEqual([2, 3]);
    expect(transactions.sellAlone).toHaveBeenCalledTimes(3);
  });

  it('answers every request of a batch BUSY_TRY_AGAIN when the category stayed locked', async () => {
    const { transactions, finishRunning } = heldTransactions();
    transactions.sellTogether.mockRejectedValueOnce(new BusyTryAgainError());
    const coalescer = new SaleCoalescer(transactions);
    const first = coalescer.sell(request(1));
    const queued = [coalescer.sell(request(1)), coalescer.sell(request(1))].map((sale) => sale.catch((error: unknown) => error));
    await finishRunning();
    await first;
    expect(await Promise.all(queued)).toEqual([expect.objectContaining({ code: ErrorCode.BusyTryAgain }), expect.objectContaining({ code: ErrorCode.BusyTryAgain })]);
    expect(transactions.sellAlone).toHaveBeenCalledTimes(1);
  });

  it('answers buyers whose lock-wait bound runs out while the lock is taken elsewhere at their deadline, and leaves them out of every transaction', async () => {
    const { transactions, finishRunning } = heldTransactions();
    const coalescer = new SaleCoalescer(transactions);
    const startedAt = Date.now();
    const [first, late] = [coalescer.sell(request(1, 1, 40)), coalescer.sell(request(2, 1, 40))].map((sale) => sale.catch((error: unknown) => error));
    const patient = coalescer.sell(request(3, 1, BOUND_MS));

    expect(await Promise.all([first, late])).toEqual([expect.objectContaining({ code: ErrorCode.BusyTryAgain }), expect.objectContaining({ code: ErrorCode.BusyTryAgain })]);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await finishRunning();
    await finishRunning();

    await expect(patient).resolves.toMatchObject({ booking: { quantity: 3 } });
    expect(transactions.sellAlone.mock.calls.map(([sale]) => quantityOf(sale.request))).toEqual([1, 3]);
    expect(transactions.sellTogether).not.toHaveBeenCalled();
  });

  it('answers the buyers queued behind a transaction that timed out on the lock at once, rather than letting them wait again', async () => {
    const { transactions } = heldTransactions();
    transactions.sellAlone.mockImplementationOnce(async () => {
      throw new BusyTryAgainError();
    });
    const coalescer = new SaleCoalescer(transactions);
    const first = coalescer.sell(request(1)).catch((error: unknown) => error);
    const queued = [coalescer.sell(request(1)), coalescer.sell(request(2))].map((sale) => sale.catch((error: unknown) => error));

    expect(await Promise.all([first, ...queued])).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ code: ErrorCode.BusyTryAgain })));
    expect(transactions.sellTogether).not.toHaveBeenCalled();
  });
});

describe('BoundedSale', () => {
  it('answers BUSY_TRY_AGAIN once its bound is spent unclaimed, and then cannot be claimed', async () => {
    const sale = request(1, 1, 10);
    await expect(sale.answer).rejects.toMatchObject({ code: ErrorCode.BusyTryAgain });
    expect(sale.claim()).toBe(false);
  });

  it('once claimed, waits for its transaction however long it takes, also across a retried transaction', async () => {
    const sale = request(1, 1, 10);
    expect(sale.claim()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sale.claim()).toBe(true);
    sale.resolve(bookingFor(sale.request));
    await expect(sale.answer).resolves.toMatchObject({ booking: { quantity: 1 } });
  });
});
