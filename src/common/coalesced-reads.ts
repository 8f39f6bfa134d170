interface Flight<V> {
  /** The read that callers who arrived during this flight will share. */
  next?: { promise: Promise<V>; start: (read: Promise<V>) => void };
}

/**
 * Concurrent reads of one key share a query. A caller that arrives while a read of its key is in
 * flight does not take that read's answer (it may predate the caller's own earlier write): it
 * waits for it to land and shares the next read with everyone else who arrived meanwhile. So every
 * answer comes from a query started after it was asked for, and a key read by hundreds of callers
 * at once costs one query per round trip instead of one per caller.
 */
export class CoalescedReads<K, V> {
  private readonly flights = new Map<K, Flight<V>>();

  constructor(private readonly load: (key: K) => Promise<V>) {}

  read(key: K): Promise<V> {
    const flight = this.flights.get(key);
    if (!flight) return this.fly(key);
    if (!flight.next) {
      let start!: (read: Promise<V>) => void;
      const promise = new Promise<V>((resolve) => {
        start = resolve;
      });
      flight.next = { promise, start };
    }
    return flight.next.promise;
  }

  private fly(key: K): Promise<V> {
    const flight: Flight<V> = {};
    this.flights.set(key, flight);
    const read = this.load(key);
    const land = () => {
      this.flights.delete(key);
      flight.next?.start(this.fly(key));
    };
    read.then(land, land);
    return read;
  }
}
