import { retryDelayMs } from './retry-schedule.js';

describe('the retry schedule', () => {
  it('doubles from the base and caps at an hour', () => {
    const most = () => 1;
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 10_000, most))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(10, 10_000, most)).toBe(3_600_000);
    expect(retryDelayMs(100, 10_000, most)).toBe(3_600_000);
  });

  it('spreads each wait over half to all of it', () => {
    expect(retryDelayMs(3, 10_000, () => 0)).toBe(20_000);
    const delays = Array.from({ length: 200 }, () => retryDelayMs(3, 10_000));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(20_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(40_000);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });

  it('with the defaults (15 attempts, 10 s doubling, an hour at most) keeps trying for 3.2 to 6.4 hours', () => {
    const hoursWaited = (random: () => number) => Array.from({ length: 14 }, (_, index) => retryDelayMs(index + 1, 10_000, random)).reduce((sum, wait) => sum + wait, 0) / 3_600_000;
    expect(hoursWaited(() => 0)).toBeCloseTo(3.21, 2);
    expect(hoursWaited(() => 1)).toBeCloseTo(6.42, 2);
  });
});
