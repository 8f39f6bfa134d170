import type { DataSource } from 'typeorm';
import type { MetricsService } from '../metrics/metrics.service.js';
import type { Queryable } from './built-query.js';
import { ReadReplicas, type ReplicaClient } from './read-replicas.js';

/** A replica that answers its own name, or fails while `failing` is set. */
class FakeReplica implements ReplicaClient {
  failing = false;
  reads = 0;

  constructor(readonly name: string) {}

  query(sql: string): Promise<Record<string, unknown>[]> {
    if (sql !== 'SELECT 1') this.reads++;
    return this.failing ? Promise.reject(new Error('connect ECONNREFUSED')) : Promise.resolve([{ server: this.name }]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const primary = { query: () => Promise.resolve([{ server: 'primary' }]) } as unknown as DataSource;
const whichServer = async (source: Queryable): Promise<unknown> => ((await source.query('SELECT @@hostname', [])) as { server: string }[])[0].server;

function metrics(): MetricsService & { states: Map<string, boolean> } {
  const states = new Map<string, boolean>();
  return { states, recordReplicaState: (replica: string, up: boolean) => states.set(replica, up) } as unknown as MetricsService & { states: Map<string, boolean> };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ReadReplicas', () => {
  let replicas: ReadReplicas | undefined;

  afterEach(async () => {
    await replicas?.onApplicationShutdown();
  });

  it('reads the primary when no replica is configured', async () => {
    replicas = new ReadReplicas(primary, [], metrics());
    expect(await replicas.read(whichServer)).toBe('primary');
  });

  it('spreads reads over the replicas in turn', async () => {
    const [a, b] = [new FakeReplica('a:3306'), new FakeReplica('b:3306')];
    replicas = new ReadReplicas(primary, [a, b], metrics());
    const servers = [];
    for (let i = 0; i < 4; i++) servers.push(await replicas.read(whichServer));
    expect(servers).toEqual(['a:3306', 'b:3306', 'a:3306', 'b:3306']);
  });

  it('runs a read that fails on a replica on the next one, and skips the failed replica from then on', async () => {
    const [a, b] = [new FakeReplica('a:3306'), new FakeReplica('b:3306')];
    const recorded = metrics();
    replicas = new ReadReplicas(primary, [a, b], recorded, 60_000);
    a.failing = true;
    expect(await replicas.read(whichServer)).toBe('b:3306');
    expect(recorded.states.get('a:3306')).toBe(false);
    a.failing = false;
    const servers = [];
    for (let i = 0; i < 3; i++) servers.push(await replicas.read(whichServer));
    expect(servers).toEqual(['b:3306', 'b:3306', 'b:3306']);
  });

  it('reads the primary when every replica is down', async () => {
    const a = new FakeReplica('a:3306');
    replicas = new ReadReplicas(primary, [a], metrics(), 60_000);
    a.failing = true;
    expect(await replicas.read(whichServer)).toBe('primary');
    expect(await replicas.read(whichServer)).toBe('primary');
    expect(a.reads).toBe(1);
  });

  it('probes a skipped replica until it answers, then reads it again', async () => {
    const a = new FakeReplica('a:3306');
    const recorded = metrics();
    replicas = new ReadReplicas(primary, [a], recorded, 10);
    a.failing = true;
    expect(await replicas.read(whichServer)).toBe('primary');
    a.failing = false;
    await until(() => recorded.states.get('a:3306') === true);
    expect(await replicas.read(whichServer)).toBe('a:3306');
  });

  it('finds a replica that is down at start-up before the first read', async () => {
    const a = new FakeReplica('a:3306');
    const recorded = metrics();
    replicas = new ReadReplicas(primary, [a], recorded, 60_000);
    expect(recorded.states.get('a:3306')).toBe(true);
    a.failing = true;
    replicas.onApplicationBootstrap();
    await until(() => recorded.states.get('a:3306') === false);
    expect(await replicas.read(whichServer)).toBe('primary');
    expect(a.reads).toBe(0);
  });

  it('passes on an error of the work itself without trying elsewhere', async () => {
    const a = new FakeReplica('a:3306');
    const recorded = metrics();
    replicas = new ReadReplicas(primary, [a], recorded);
    await expect(replicas.read(() => Promise.reject(new TypeError('a bug')))).rejects.toThrow('a bug');
    expect(recorded.states.get('a:3306')).toBe(true);
  });
});
