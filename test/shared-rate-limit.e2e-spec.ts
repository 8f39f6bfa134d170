import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDatabaseUrl, type DatabaseUrl } from '../src/config/environment.js';
import { call, createEventVia, type ApiAnswer } from './support/api-client.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from './support/built-app.js';
import { answersPing, PrivateRedis, redisUnavailableReason } from './support/redis-server.js';
import { createMigratedDatabase, dropDatabase } from './support/test-database.js';

/**
 * The rate limit with REDIS_URL: built app processes counting in one Redis. The three-instance
 * test uses the Redis on TEST_REDIS_URL when it answers (CI starts one), a private one otherwise;
 * the outage test stops and restarts a private one. Each client is a random address, so runs
 * sharing a Redis never share a counter.
 */
const unavailable = redisUnavailableReason();
if (unavailable) console.log(`Skipping the shared rate-limit tests: ${unavailable}`);
const describeWithRedis = unavailable ? describe.skip : describe;

const LIMIT = 6;
const INSTANCES = 3;
const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = process.env.DATABASE_URL ?? '';
const onMysql = parseDatabaseUrl(databaseUrl).kind === 'mysql';
const apps: BuiltApp[] = [];
const databases: DatabaseUrl[] = [];
const privateServers: PrivateRedis[] = [];

/** On MySQL every instance shares the spec's database; an SQLite file has one writer, so each gets its own. */
async function databaseFor(instance: string): Promise<string> {
  const url = onMysql ? databaseUrl : databaseUrl.replace(/\.sqlite$/, `_${instance}.sqlite`);
  const database = parseDatabaseUrl(url);
  if (!databases.some((known) => JSON.stringify(known) === JSON.stringify(database))) {
    databases.push(database);
    await createMigratedDatabase(database);
  }
  return url;
}

async function startInstance(name: string, redisUrl: string): Promise<BuiltApp> {
  const app = await startBuiltApp({
    DATABASE_URL: await databaseFor(name),
    REDIS_URL: redisUrl,
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    TRUSTED_PROXIES: '1',
    LOG_LEVEL: 'warn',
  });
  apps.push(app);
  return app;
}

async function privateRedis(): Promise<PrivateRedis> {
  const server = await PrivateRedis.start();
  privateServers.push(server);
  return server;
}

/** A fresh client: an address of the IPv6 documentation range, in a /64 of its own. */
function newClient(): string {
  const [a, b] = [randomBytes(2).toString('hex'), randomBytes(2).toString('hex')];
  return `2001:db8:${a}:${b}::1`;
}

function book(app: BuiltApp, eventId: number, client: string): Promise<ApiAnswer> {
  return call(app.baseUrl, 'POST', `/events/${eventId}/book`, { ticket_category: 'General', quantity: 1 }, { 'X-Forwarded-For': client });
}

async function storeErrors(app: BuiltApp): Promise<number> {
  const response = await fetch(`${app.baseUrl}/metrics`);
  const line = (await response.text()).split('\n').find((text) => text.startsWith('rate_limit_store_errors_total '));
  return Number(line?.split(' ')[1]);
}

beforeAll(() => ensureBuilt(), 120_000);

afterAll(async () => {
  for (const app of apps) if (app.child.exitCode === null) app.child.kill('SIGKILL');
  await Promise.all(apps.map((app) => app.exited));
  await Promise.all(privateServers.map((server) => server.stop()));
  for (const database of databases) await dropDatabase(database);
});

describeWithRedis(`${INSTANCES} instances counting in one Redis`, () => {
  const instances: BuiltApp[] = [];
  const eventIds: number[] = [];

  beforeAll(async () => {
    const redisUrl = (await answersPing(SHARED_REDIS_URL)) ? SHARED_REDIS_URL : (await privateRedis()).url;
    instances.push(...(await Promise.all(Array.from({ length: INSTANCES }, (_, i) => startInstance(`instance${i}`, redisUrl)))));
    for (const instance of instances) eventIds.push(await createEventVia(instance.baseUrl));
  }, 120_000);

  it(`give a client exactly ${LIMIT} public writes in total, then 429 from every instance`, async () => {
    const client = newClient();
    const burst = await Promise.all(Array.from({ length: 3 * LIMIT }, (_, i) => book(instances[i % INSTANCES], eventIds[i % INSTANCES], client)));
    const after = await Promise.all(instances.map((instance, i) => book(instance, eventIds[i], client)));
    const otherClient = await book(instances[0], eventIds[0], newClient());

    expect(burst.filter((answer) => answer.status === 201)).toHaveLength(LIMIT);
    expect(burst.filter((answer) => answer.status === 429)).toHaveLength(2 * LIMIT);
    for (const answer of after) {
      expect(answer.status).toBe(429);
      expect(answer.body.code).toBe('RATE_LIMITED');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(otherClient.status).toBe(201);
  });
});

describeWithRedis('when Redis goes away', () => {
  let redis: PrivateRedis;
  let app: BuiltApp;
  let eventId: number;

  beforeAll(async () => {
    redis = await privateRedis();
    app = await startInstance('outage', redis.url);
    eventId = await createEventVia(app.baseUrl, { ticket_categories: [{ name: 'General', price: 10, seats_limit: 1_000 }] });
  }, 120_000);

  it('serves every write while it is down, counts them in rate_limit_store_errors_total, warns once, and limits again once it is back', async () => {
    const client = newClient();
    const limited = [];
    for (let i = 0; i <= LIMIT; i++) limited.push((await book(app, eventId, client)).status);
    expect(limited).toEqual([...Array(LIMIT).fill(201), 429]);

    await redis.stop();
    const duringOutage = [];
    for (let i = 0; i < 2 * LIMIT; i++) duringOutage.push((await book(app, eventId, client)).status);
    expect(duringOutage).toEqual(Array(2 * LIMIT).fill(201));
    expect(await storeErrors(app)).toBe(2 * LIMIT);

    await redis.start();
    // Reconnecting takes up to a second: until then writes still pass; a 429 shows counting is back.
    const recovering = newClient();
    let recovered = false;
    for (const deadline = Date.now() + 10_000; !recovered && Date.now() < deadline; await sleep(50)) {
      recovered = (await book(app, eventId, recovering)).status === 429;
    }
    expect(recovered).toBe(true);
    const errorsOnceBack = await storeErrors(app);
    const fresh = newClient();
    const afterRecovery = [];
    for (let i = 0; i <= LIMIT; i++) afterRecovery.push((await book(app, eventId, fresh)).status);
    expect(afterRecovery).toEqual([...Array(LIMIT).fill(201), 429]);
    expect(await storeErrors(app)).toBe(errorsOnceBack);
    expect(app.output().match(/Redis cannot be reached/g)).toHaveLength(1);
  }, 60_000);
});
