import { parseDatabaseUrl, type DatabaseUrl } from '../src/config/environment.js';
import { call, createEventVia } from './support/api-client.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from './support/built-app.js';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { createMigratedDatabase, dropDatabase } from './support/test-database.js';

/**
 * Traces from the built app, started as production starts it, exported over OTLP/HTTP to a
 * receiver in the test. On both databases; the database spans are asserted on MySQL only, since
 * OpenTelemetry has no instrumentation for better-sqlite3.
 */
const onMysql = parseDatabaseUrl(process.env.DATABASE_URL).kind === 'mysql';
const CUSTOMER_EMAIL = 'traced.person@example.com';
const SERVER = 2;
const apps: BuiltApp[] = [];
const databases: DatabaseUrl[] = [];
let receiver: OtlpReceiver;

/** Reports at exit whether the process ever loaded OpenTelemetry's SDK (the API alone is no SDK). */
const SDK_PROBE = `--import=data:text/javascript,${encodeURIComponent(
  `import { createRequire } from 'node:module';
   const modules = createRequire(process.cwd() + '/').cache;
   process.on('exit', () => console.log('opentelemetry sdk loaded: ' + Object.keys(modules).some((path) => path.includes('@opentelemetry/sdk-'))));`,
)}`;

/** Its own database per app: an SQLite file has a single writer. */
async function startApp(name: string, environment: Record<string, string>): Promise<BuiltApp> {
  const url = (process.env.DATABASE_URL ?? '').replace(/(\.sqlite)?$/, (suffix) => `_${name}${suffix}`);
  const database = parseDatabaseUrl(url);
  databases.push(database);
  await createMigratedDatabase(database);
  const app = await startBuiltApp({ DATABASE_URL: url, LOG_LEVEL: 'info', ...environment }, [SDK_PROBE]);
  apps.push(app);
  return app;
}

/** Books one seat and returns the request's log line, once the app has written it. */
async function bookAndReadLogLine(app: BuiltApp): Promise<Record<string, unknown>> {
  const eventId = await createEventVia(app.baseUrl);
  const booking = await call(app.baseUrl, 'POST', `/events/${eventId}/book`, { ticket_category: 'General', quantity: 1, customer_email: CUSTOMER_EMAIL });
  expect(booking.status).toBe(201);
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
    const line = app.output().split('\n').find((text) => text.includes('"route":"/events/:id/book"'));
    if (line) return JSON.parse(line) as Record<string, unknown>;
  }
  throw new Error(`No log line for the booking:\n${app.output()}`);
}

async function stopped(app: BuiltApp): Promise<string> {
  app.child.kill('SIGTERM');
  await app.exited;
  return app.output();
}

const isBookingHttpSpan = (span: ReceivedSpan) => span.kind === SERVER && span.name === 'POST /events/:id/book';
const isDatabaseSpan = (span: ReceivedSpan) => span.scope === '@opentelemetry/instrumentation-mysql2';

beforeAll(async () => {
  ensureBuilt();
  receiver = await OtlpReceiver.start();
}, 120_000);

afterAll(async () => {
  for (const app of apps) if (app.child.exitCode === null) app.child.kill('SIGKILL');
  await Promise.all(apps.map((app) => app.exited));
  await receiver.close();
  for (const database of databases) await dropDatabase(database);
});

describe('tracing with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  it(`exports a booking as one trace: the HTTP span named by its route${onMysql ? ' and its MySQL statements' : ''}, with the trace id in the request's log line, flushed at shutdown`, async () => {
    const app = await startApp('traced', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Nothing is exported on a timer during the test: the spans arrive because shutdown flushes them.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    const line = await bookAndReadLogLine(app);
    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(await stopped(app)).toContain('opentelemetry sdk loaded: true');

    const spans = await receiver.trace(String(line.trace_id), (trace) => trace.some(isBookingHttpSpan) && (!onMysql || trace.some(isDatabaseSpan)));
    const httpSpan = spans.find(isBookingHttpSpan);
    expect(httpSpan?.attributes['http.route']).toBe('/events/:id/book');
    expect(httpSpan?.parentSpanId ?? '').toBe('');
    if (onMysql) {
      const statements = spans.filter(isDatabaseSpan).map((span) => String(span.attributes['db.query.text']));
      expect(statements.some((statement) => statement.includes('FOR UPDATE'))).toBe(true);
    }
    // Statements are recorded with their placeholders: a customer's data never reaches a trace.
    expect(JSON.stringify(receiver.spans)).not.toContain(CUSTOMER_EMAIL);
    // Probes are not traced, as they are not logged (startBuiltApp polled /health/ready).
    expect(receiver.spans.filter((span) => span.name.includes('/health') || span.attributes['http.route'] === '/health/ready')).toEqual([]);
  }, 60_000);
});

describe('tracing without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('never loads the SDK, and the log line carries no trace id', async () => {
    const app = await startApp('untraced', {});
    const line = await bookAndReadLogLine(app);
    expect(line).not.toHaveProperty('trace_id');
    expect(await stopped(app)).toContain('opentelemetry sdk loaded: false');
  }, 60_000);
});
