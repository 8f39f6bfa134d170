import { jsonRepresentation } from '../http/representation.js';
import { EventReadCache, type CacheableAnswer } from './event-read-cache.js';

/** A read that lands when told to, counting how often it was started. */
class Reads {
  started = 0;
  private pending: (() => void)[] = [];

  constructor(private readonly version: () => string) {}

  load(eventIds: number[]) {
    return (): Promise<CacheableAnswer> => {
      this.started++;
      const body = this.version();
      return new Promise((resolve) => this.pending.push(() => resolve({ representation: jsonRepresentation({ body, eventIds }), eventIds })));
    };
  }

  landAll(): void {
    for (const land of this.pending.splice(0)) land();
  }
}

function bodyOf(representation: { body: string | Buffer }): string {
  return (JSON.parse(representation.body.toString()) as { body: string }).body;
}

describe('EventReadCache', () => {
  let clock: number;
  let version: string;
  let reads: Reads;
  const cache = (options: { maxEntries?: number; maxBytes?: number } = {}) => new EventReadCache({ ttlMs: 1000, now: () => clock, ...options });

  beforeEach(() => {
    clock = 0;
    version = 'v1';
    reads = new Reads(() => version);
  });

  it('reads every time and tells caches not to keep answers when off', async () => {
    const off = new EventReadCache({ ttlMs: 0 });
    const first = off.read('/events/1', { event: 1 }, reads.load([1]));
    reads.landAll();
    await first;
    const second = off.read('/events/1', { event: 1 }, reads.load([1]));
    reads.landAll();
    await second;
    expect(reads.started).toBe(2);
    expect(off.cacheControl).toBe('no-cache');
    expect(off.enabled).toBe(false);
  });

  it('reads a missing answer once for everyone who asks meanwhile, then answers from memory while fresh', async () => {
    const on = cache();
    const asked = Array.from({ length: 50 }, () => on.read('/events/1', { event: 1 }, reads.load([1])));
    reads.landAll();
    const answers = await Promise.all(asked);
    expect(reads.started).toBe(1);
    expect(new Set(answers.map((answer) => answer.etag)).size).toBe(1);

    clock = 999;
    expect(on.peek('/events/1')?.etag).toBe(answers[0].etag);
    expect((await on.read('/events/1', { event: 1 }, reads.load([1]))).etag).toBe(answers[0].etag);
    expect(reads.started).toBe(1);
    expect(on.cacheControl).toBe('public, max-age=1');
  });

  it('keeps an answer no longer than the TTL, counted from when its read began', async () => {
    const on = cache();
    const first = on.read('/events/1', { event: 1 }, reads.load([1]));
    clock = 300;
    reads.landAll();
    await first;
    clock = 1000;
    expect(on.peek('/events/1')).toBeUndefined();
  });

  it("drops an event's page and the list pages showing it when it is written, and keeps other pages", async () => {
    const on = cache();
    const loads = [
      on.read('/events/1', { event: 1 }, reads.load([1])),
      on.read('/events?limit=2', 'page', reads.load([1, 2])),
      on.read('/events?limit=1&cursor=x', 'page', reads.load([3])),
    ];
    reads.landAll();
    await Promise.all(loads);

    on.invalidate(1);

    expect(on.peek('/events/1')).toBeUndefined();
    expect(on.peek('/events?limit=2')).toBeUndefined();
    expect(on.peek('/events?limit=1&cursor=x')).toBeDefined();
  });

  it('drops every list page, and no event page, when the list itself changes', async () => {
    const on = cache();
    const loads = [on.read('/events/3', { event: 3 }, reads.load([3])), on.read('/events?limit=1&cursor=x', 'page', reads.load([3]))];
    reads.landAll();
    await Promise.all(loads);

    on.invalidatePages();

    expect(on.peek('/events?limit=1&cursor=x')).toBeUndefined();
    expect(on.peek('/events/3')).toBeDefined();
  });

  it('never hands a read that began before a write to someone who asks after it, nor keeps its answer', async () => {
    const on = cache();
    const before = on.read('/events/1', { event: 1 }, reads.load([1]));
    version = 'v2';
    on.invalidate(1);
    const after = on.read('/events/1', { event: 1 }, reads.load([1]));
    reads.landAll();

    expect(bodyOf(await before)).toBe('v1');
    expect(bodyOf(await after)).toBe('v2');
    expect(reads.started).toBe(2);
    expect(bodyOf(on.peek('/events/1')!)).toBe('v2');
  });

  it('keeps a list page read during a write of an event it does not show, and not one that shows it', async () => {
    const on = cache();
    const other = on.read('/events?cursor=a', 'page', reads.load([7, 8]));
    const showing = on.read('/events?cursor=b', 'page', reads.load([1, 2]));
    on.invalidate(1);
    reads.landAll();
    await Promise.all([other, showing]);

    expect(on.peek('/events?cursor=a')).toBeDefined();
    expect(on.peek('/events?cursor=b')).toBeUndefined();
  });

  it('keeps no list page read while the list changed', async () => {
    const on = cache();
    const page = on.read('/events', 'page', reads.load([1]));
    on.invalidatePages();
    reads.landAll();
    await page;
    expect(on.peek('/events')).toBeUndefined();
  });

  it('passes a failed read to everyone waiting for it and keeps nothing', async () => {
    const on = cache();
    let fail!: (error: Error) => void;
    const failing = () => new Promise<CacheableAnswer>((_resolve, reject) => (fail = reject));
    const asked = [on.read('/events/9', { event: 9 }, failing), on.read('/events/9', { event: 9 }, failing)];
    fail(new Error('EVENT_NOT_FOUND'));
    await expect(Promise.all(asked)).rejects.toThrow('EVENT_NOT_FOUND');
    expect(on.peek('/events/9')).toBeUndefined();
    const retried = on.read('/events/9', { event: 9 }, reads.load([9]));
    reads.landAll();
    await expect(retried).resolves.toBeDefined();
  });

  it('holds at most its number of entries, dropping the oldest first', async () => {
    const on = cache({ maxEntries: 3 });
    for (let id = 1; id <= 5; id++) {
      const read = on.read(`/events/${id}`, { event: id }, reads.load([id]));
      reads.landAll();
      await read;
      clock += 1;
    }
    expect([1, 2, 3, 4, 5].map((id) => on.peek(`/events/${id}`) !== undefined)).toEqual([false, false, true, true, true]);
  });

  it('holds at most its number of bytes, and never an answer larger than that', async () => {
    const on = cache({ maxBytes: 1000 });
    const big = () => Promise.resolve({ representation: jsonRepresentation({ padding: 'x'.repeat(2000) }), eventIds: [1] });
    await on.read('/events/1', { event: 1 }, big);
    expect(on.peek('/events/1')).toBeUndefined();

    const small = (id: number) => () => Promise.resolve({ representation: jsonRepresentation({ padding: 'x'.repeat(200), id }), eventIds: [id] });
    for (let id = 2; id <= 6; id++) await on.read(`/events/${id}`, { event: id }, small(id));
    const held = [2, 3, 4, 5, 6].filter((id) => on.peek(`/events/${id}`) !== undefined);
    expect(held.length).toBeLessThan(5);
    expect(held).toEqual([2, 3, 4, 5, 6].slice(5 - held.length));
  });

  it('lets an invalidated event be read and held again', async () => {
    const on = cache();
    const first = on.read('/events/1', { event: 1 }, reads.load([1]));
    reads.landAll();
    await first;
    on.invalidate(1);
    version = 'v2';
    const again = on.read('/events/1', { event: 1 }, reads.load([1]));
    reads.landAll();
    await again;
    expect(bodyOf(on.peek('/events/1')!)).toBe('v2');
  });
});
