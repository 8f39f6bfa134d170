import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ORGANIZER_API_KEY } from './organizer-key.js';

/**
 * Runs before each test file: points DATABASE_URL at a database of that file's own, so every
 * spec starts from an empty schema. TEST_DATABASE=mysql switches from SQLite to MySQL/MariaDB.
 */
const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
const target = process.env.TEST_DATABASE ?? 'sqlite';

if (target === 'mysql') {
  const server = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  process.env.DATABASE_URL = `${server.replace(/\/+$/, '')}/ticketing_test_${suffix}`;
} else if (target === 'sqlite') {
  process.env.DATABASE_URL = `sqlite://${join(tmpdir(), `ticketing_test_${suffix}.sqlite`)}`;
} else {
  throw new Error(`TEST_DATABASE must be "sqlite" or "mysql", not "${target}"`);
}

// Requests are logged at info level: tests show only warnings and errors (a 500's stack, say).
process.env.LOG_LEVEL ??= 'warn';

process.env.ORGANIZER_API_KEY ??= TEST_ORGANIZER_API_KEY;
// Specs fire hundreds of requests from one address; the rate-limit spec turns the limit back on.
process.env.RATE_LIMIT_PER_MINUTE ??= '0';
