import { InsufficientSeatsError, SoldOutError } from '../common/domain-error.js';
import { seatsLeft, type SeatCounts } from './ticket-category.entity.js';

/** Why `quantity` seats do not fit on the locked row, or undefined when they do. */
export function seatShortage(category: SeatCounts, quantity: number): SoldOutError | InsufficientSeatsError | undefined {
  const available = seatsLeft(category);
  if (available <= 0) return new SoldOutError(category.name);
  if (available < quantity) return new InsufficientSeatsError(category.name, quantity, available);
  return undefined;
}

/**
 * Why an order's lines do not all fit on their locked rows, or undefined when they do: the checks
 * in the contract's order (sold out before short), each finding the first failing line in the
 * order the buyer sent them.
 */
export function orderShortage(lines: { category: SeatCounts; quantity: number }[]): SoldOutError | InsufficientSeatsError | undefined {
  const soldOut = lines.find(({ category }) => seatsLeft(category) <= 0);
  if (soldOut) return new SoldOutError(soldOut.category.name);
  const short = lines.find(({ category, quantity }) => seatsLeft(category) < quantity);
  return short ? new InsufficientSeatsError(short.category.name, short.quantity, seatsLeft(short.category)) : undefined;
}

/**
 * Seats for several requests on one locked row, in arrival order: each gets the answer it would
 * have got alone at that point, so a request that does not fit is refused while a later, smaller
 * one may still be served. Returns each request's refusal, or undefined where it fits.
 */
export function allocateInArrivalOrder(category: SeatCounts, quantities: number[]): (SoldOutError | InsufficientSeatsError | undefined)[] {
  const running = { ...category };
  return quantities.map((quantity) => {
    const shortage = seatShortage(running, quantity);
    if (!shortage) running.seatsSold += quantity;
    return shortage;
  });
}

/**
 * Who free seats go to on a waiting list: the entries in arrival order, each whose quantity fits
 * what is still free. An entry too large for now keeps its place, and a later, smaller one may be
 * served before it. Returns the indices of the entries served.
 */
export function servedInArrivalOrder(free: number, quantities: number[]): number[] {
  const served: number[] = [];
  let left = free;
  quantities.forEach((quantity, i) => {
    if (quantity > left) return;
    served.push(i);
    left -= quantity;
  });
  return served;
}
