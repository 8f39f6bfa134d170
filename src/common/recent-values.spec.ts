import { jest } from '@jest/globals';
import { RecentValues } from './recent-values.js';

describe('RecentValues', () => {
  const counting = () => {
    const loads: string[] = [];
    return { loads, load: (key: string) => (loads.push(key), Promise.resolve(`${key}#${loads.length}`)) };
  };

  it('loads a value once while it is younger than its maximum age, and again after', async () => {
    const { loads, load } = counting();
    const values = new RecentValues(1_000, 10, load);
    expect(await values.get('jazz', 0)).toBe('jazz#1');
    expect(await values.get('jazz', 999)).toBe('jazz#1');
    expect(await values.get('jazz', 1_000)).toBe('jazz#2');
    expect(loads).toEqual(['jazz', 'jazz']);
  });

  it('lets callers that ask during a load share it', async () => {
    let finish!: (value: number) => void;
    const load = jest.fn(() => new Promise<number>((resolve) => (finish = resolve)));
    const values = new RecentValues(1_000, 10, load);
    const [first, second] = [values.get('jazz', 0), values.get('jazz', 1)];
    finish(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed load, so the next caller tries again', async () => {
    const load = jest.fn<(key: string) => Promise<number>>().mockRejectedValueOnce(new Error('down')).mockResolvedValue(3);
    const values = new RecentValues(1_000, 10, load);
    await expect(values.get('jazz', 0)).rejects.toThrow('down');
    expect(await values.get('jazz', 1)).toBe(3);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps at most its capacity, dropping the oldest first', async () => {
    const { loads, load } = counting();
    const values = new RecentValues(1_000, 2, load);
    for (const key of ['a', 'b', 'c']) await values.get(key, 0);
    await values.get('b', 1);
    await values.get('c', 1);
    await values.get('a', 1);
    expect(loads).toEqual(['a', 'b', 'c', 'a']);
  });
});
