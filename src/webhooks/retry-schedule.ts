/** The longest wait between two attempts. */
const MAX_DELAY_MS = 60 * 60 * 1000;

/**
 * How long to wait after the `attempt`-th failed attempt: the base, doubling each time, capped at an
 * hour, then spread over 50–100 % of that at random so that the retries of a receiver that was down
 * for everyone do not all come back in the same second.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(exponential * (0.5 + random() / 2));
}
