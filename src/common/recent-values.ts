import { performance } from 'node:perf_hooks';

interface Entry<V> {
  value: Promise<V>;
  loadedAt: number;
}

/**
 * Values that may be a little old: each is loaded at most once per `maxAgeMs` (callers meanwhile
 * share the load), a failed load is forgotten at once, and at most `capacity` are kept, the
 * oldest dropped first.
 */
export class RecentValues<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly capacity: number,
    private readonly load: (key: K) => Promise<V>,
  ) {}

  /** `now` in milliseconds on a clock that only moves forward, so a wall-clock step back cannot keep a value forever. */
  get(key: K, now = performance.now()): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && now - entry.loadedAt < this.maxAgeMs) return entry.value;
    this.entries.delete(key);
    const value = this.load(key);
    this.entries.set(key, { value, loadedAt: now });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return value;
  }
}
