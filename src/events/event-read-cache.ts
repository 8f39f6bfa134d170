import { performance } from 'node:perf_hooks';
import type { Representation } from '../http/representation.js';

/** At most this many answers are held; the oldest go first. */
export const READ_CACHE_MAX_ENTRIES = 10_000;
/** At most this many bytes of answers (bodies, keys and headers) are held; the oldest go first. */
export const READ_CACHE_MAX_BYTES = 32 * 1024 * 1024;

/** What an answer costs beyond its bytes: the entry, its place in the maps. Rough, on purpose. */
const ENTRY_OVERHEAD_BYTES = 200;

/** An answer and the events it shows: a write on any of them drops it. */
export interface CacheableAnswer {
  representation: Representation;
  eventIds: readonly number[];
}

/** One event's page, or a page of the list: a list page can change without any event of its own changing. */
export type AnswerKind = { event: number } | 'page';

export interface ReadCacheOptions {
  /** READ_CACHE_MS; 0 keeps nothing and reads every time. */
  ttlMs: number;
  maxEntries?: number;
  maxBytes?: number;
  /** Milliseconds on a clock that only moves forward. */
  now?: () => number;
}

interface Entry extends CacheableAnswer {
  kind: AnswerKind;
  /** When the read it came from began: it shows the database as of then, so its age counts from then. */
  readAt: number;
  bytes: number;
}

interface Flight {
  key: string;
  kind: AnswerKind;
  readAt: number;
  answer: Promise<Representation>;
  /** Events written while this read ran: if the answer shows any of them, it is not kept. */
  written: Set<number>;
  /** The list changed while this read ran (an event added or moved): not kept if it is a page. */
  listChanged: boolean;
}

/**
 * READ_CACHE_MS: each instance answers GET /events/:id and the pages of GET /events from memory
 * for at most that long. A missing answer is read once however many requests wait for it; a
 * request never waits for a read that began before a write of an event it may show, so an
 * instance always shows its own writes. A write drops at once the event's page and every cached
 * list page that shows the event; a new event, or an event whose date moved, drops every list
 * page, since it changes which events the pages hold. Bounded by READ_CACHE_MAX_ENTRIES and
 * READ_CACHE_MAX_BYTES, oldest first (every answer lives equally long, so the oldest is also the
 * nearest to expiring).
 */
export class EventReadCache {
  readonly ttlMs: number;
  /** What the answers tell caches in front: as long as this cache may keep them, in whole seconds. */
  readonly cacheControl: string;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  /** In age order, oldest first: a Map iterates in insertion order. */
  private readonly entries = new Map<string, Entry>();
  private readonly keysByEvent = new Map<number, Set<string>>();
  /** Reads a newcomer may wait for: none began before a write of what it might show. */
  private readonly joinable = new Map<string, Flight>();
  /** Every read still running, joinable or not. */
  private readonly running = new Set<Flight>();
  private bytes = 0;

  constructor({ ttlMs, maxEntries = READ_CACHE_MAX_ENTRIES, maxBytes = READ_CACHE_MAX_BYTES, now = () => performance.now() }: ReadCacheOptions) {
    this.ttlMs = ttlMs;
    this.cacheControl = ttlMs > 0 ? `public, max-age=${Math.floor(ttlMs / 1000)}` : 'no-cache';
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.now = now;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The answer under `key` if it is held and fresh: for answering before any handler runs. */
  peek(key: string): Representation | undefined {
    return this.fresh(key)?.representation;
  }

  /** The answer under `key`: from memory while fresh, otherwise from `load`, shared by everyone asking meanwhile. */
  async read(key: string, kind: AnswerKind, load: () => Promise<CacheableAnswer>): Promise<Representation> {
    if (!this.enabled) return (await load()).representation;
    const held = this.fresh(key);
    if (held) return held.representation;
    return (this.joinable.get(key) ?? this.fly(key, kind, load)).answer;
  }

  /** Drops what shows the event: its page and the list pages holding it, held or being read. */
  invalidate(eventId: number): void {
    for (const key of [...(this.keysByEvent.get(eventId) ?? [])]) this.remove(key);
    for (const flight of this.running) {
      if (flight.kind !== 'page' && flight.kind.event !== eventId) continue;
      flight.written.add(eventId);
      this.detach(flight);
    }
  }

  /** Drops every list page, held or being read: the list holds other events, or in another order, now. */
  invalidatePages(): void {
    for (const [key, entry] of this.entries) if (entry.kind === 'page') this.remove(key);
    for (const flight of this.running) {
      if (flight.kind !== 'page') continue;
      flight.listChanged = true;
      this.detach(flight);
    }
  }

  private fly(key: string, kind: AnswerKind, load: () => Promise<CacheableAnswer>): Flight {
    const flight: Flight = { key, kind, readAt: this.now(), answer: undefined as unknown as Promise<Representation>, written: new Set(), listChanged: false };
    flight.answer = load()
      .then((answer) => {
        this.land(flight, answer);
        return answer.representation;
      })
      .finally(() => {
        this.running.delete(flight);
        this.detach(flight);
      });
    this.running.add(flight);
    this.joinable.set(key, flight);
    return flight;
  }

  private land(flight: Flight, answer: CacheableAnswer): void {
    if (flight.listChanged || answer.eventIds.some((id) => flight.written.has(id))) return;
    const held = this.entries.get(flight.key);
    if (held && held.readAt > flight.readAt) return;
    // Held answers are kept as bytes: encoded once, sent as they are by every request that finds them.
    const representation = { ...answer.representation, body: Buffer.from(answer.representation.body) };
    const bytes = ENTRY_OVERHEAD_BYTES + representation.body.length + flight.key.length + representation.etag.length + (representation.link?.length ?? 0);
    if (bytes > this.maxBytes) return;
    this.remove(flight.key);
    this.entries.set(flight.key, { representation, eventIds: answer.eventIds, kind: flight.kind, readAt: flight.readAt, bytes });
    this.bytes += bytes;
    for (const id of answer.eventIds) {
      let keys = this.keysByEvent.get(id);
      if (!keys) this.keysByEvent.set(id, (keys = new Set()));
      keys.add(flight.key);
    }
    this.evict();
  }

  /** Expired answers first, then the oldest, until within both bounds. */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (!this.expired(entry) && this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
      this.remove(key);
    }
  }

  private fresh(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!this.expired(entry)) return entry;
    this.remove(key);
    return undefined;
  }

  private expired(entry: Entry): boolean {
    return this.now() - entry.readAt >= this.ttlMs;
  }

  private detach(flight: Flight): void {
    if (this.joinable.get(flight.key) === flight) this.joinable.delete(flight.key);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const id of entry.eventIds) {
      const keys = this.keysByEvent.get(id);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByEvent.delete(id);
    }
  }
}
