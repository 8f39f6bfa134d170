import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/environment.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { call, createEventVia, organiserHeaders } from './support/api-client.js';
import { ensureBuilt, startBuiltApp, type BuiltApp } from './support/built-app.js';
import { createMigratedDatabase, dropDatabase } from './support/test-database.js';

const database = parseDatabaseUrl(process.env.DATABASE_URL);
let app: BuiltApp;
let dataSource: DataSource;

beforeAll(async () => {
  ensureBuilt();
  await createMigratedDatabase(database);
  app = await startBuiltApp({ DATABASE_URL: process.env.DATABASE_URL ?? '' });
  dataSource = await new DataSource(dataSourceOptions({ url: database, poolSize: 1 })).initialize();
}, 120_000);

afterAll(async () => {
  await dataSource?.destroy();
  if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  await dropDatabase(database);
});

/** Makes every check-in's UPDATE fail inside its transaction, as a lost connection would. */
async function refuseCheckIns(): Promise<void> {
  await dataSource.query(
    dataSource.options.type === 'mysql'
      ? "CREATE TRIGGER refuse_check_in BEFORE UPDATE ON tickets FOR EACH ROW BEGIN IF NEW.checked_in_at IS NOT NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END"
      : "CREATE TRIGGER refuse_check_in BEFORE UPDATE OF checked_in_at ON tickets BEGIN SELECT RAISE(ABORT, 'refused'); END",
  );
}

describe('a check-in whose transaction fails', () => {
  // The answer of such a transaction was a promise nobody awaited once it failed: Node exits on it.
  it('is answered with an error, and the instance goes on answering', async () => {
    const eventId = await createEventVia(app.baseUrl);
    const booked = await call(app.baseUrl, 'POST', `/events/${eventId}/book`, { ticket_category: 'General', quantity: 1 });
    const scanner = await call(app.baseUrl, 'POST', `/events/${eventId}/scanner-keys`, undefined, organiserHeaders());
    const code = (booked.body.tickets as { code: string }[])[0].code;
    await refuseCheckIns();

    const failed = await call(app.baseUrl, 'POST', `/events/${eventId}/check-ins`, { code }, { Authorization: `Bearer ${scanner.body.key as string}` });
    expect([failed.status, failed.body.code]).toEqual([500, 'INTERNAL_ERROR']);
    expect((await call(app.baseUrl, 'GET', `/tickets/${code}`)).body.status).toBe('valid');
    expect(app.child.exitCode).toBeNull();
  });
});
