import { CoalescedReads } from './coalesced-reads.js';

/** A load whose calls stay pending until the test settles them, in order. */
function controlledLoad() {
  const calls: { key: string; resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  const load = (key: string) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ key, resolve, reject });
    });
  return { calls, load };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedReads', () => {
  it('starts a read at once for a key nobody is reading', async () => {
    const { calls, load } = controlledLoad();
    const reads = new CoalescedReads(load);

    const first = reads.read('a');
    const other = reads.read('b');

    expect(calls.map((call) => call.key)).toEqual(['a', 'b']);
    calls[0].resolve('a1');
    calls[1].resolve('b1');
    await expect(first).resolves.toBe('a1');
    await expect(other).resolves.toBe('b1');
  });

  it('gives callers who arrive during a read the next read, one for all of them', async () => {
    const { calls, load } = controlledLoad();
    const reads = new CoalescedReads(load);

    const first = reads.read('a');
    const late = [reads.read('a'), reads.read('a'), reads.read('a')];
    expect(calls).toHaveLength(1);

    calls[0].resolve('before');
    await expect(first).resolves.toBe('before');
    await settle();
    expect(calls).toHaveLength(2);
    calls[1].resolve('after');

    await expect(Promise.all(late)).resolves.toEqual(['after', 'after', 'after']);
  });

  it('passes a failed read to exactly the callers who shared it, and reads again afterwards', async () => {
    const { calls, load } = controlledLoad();
    const reads = new CoalescedReads(load);

    const first = reads.read('a');
    const shared = [reads.read('a'), reads.read('a')];
    calls[0].resolve('ok');
    await first;
    await settle();
    calls[1].reject(new Error('connection lost'));
    await expect(Promise.all(shared)).rejects.toThrow('connection lost');

    const later = reads.read('a');
    expect(calls).toHaveLength(3);
    calls[2].resolve('fresh');
    await expect(later).resolves.toBe('fresh');
  });

  it('forgets a key once nobody waits for it', async () => {
    const { calls, load } = controlledLoad();
    const reads = new CoalescedReads(load);

    const first = reads.read('a');
    calls[0].resolve('one');
    await first;
    await settle();

    expect(calls).toHaveLength(1);
    expect((reads as unknown as { flights: Map<string, unknown> }).flights.size).toBe(0);
  });
});
