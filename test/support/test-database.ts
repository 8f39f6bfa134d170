import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import type { DatabaseUrl } from '../../src/config/environment.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { migrations } from '../../src/database/migrations/index.js';
import { runMigrations } from '../../src/database/run-migrations.js';

type MysqlUrl = Extract<DatabaseUrl, { kind: 'mysql' }>;

const MIGRATIONS = join(import.meta.dirname, '..', '..', 'src', 'database', 'migrations');
const TEMPLATE_PREFIX = 'ticketing_test_template_';
const TEMPLATE_LOCK = 'ticketing_test_template';
const TEMPLATE_LOCK_WAIT_SECONDS = 120;

/** Refuses anything but a database whose name says it is a throw-away test database. */
export function assertThrowAway(database: DatabaseUrl): void {
  const name = database.kind === 'mysql' ? database.database : database.path;
  if (!/test/i.test(name)) throw new Error(`Refusing to run tests against "${name}": its name must contain "test"`);
}

export async function createDatabase(database: DatabaseUrl): Promise<void> {
  assertThrowAway(database);
  if (database.kind !== 'mysql') return;
  await onServer(database, `CREATE DATABASE \`${database.database}\` CHARACTER SET utf8mb4`);
}

export async function dropDatabase(database: DatabaseUrl): Promise<void> {
  assertThrowAway(database);
  if (database.kind === 'mysql') {
    await onServer(database, `DROP DATABASE IF EXISTS \`${database.database}\``);
    return;
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${database.path}${suffix}`, { force: true });
}

async function onServer(database: MysqlUrl, statement: string): Promise<void> {
  const connection = await connectTo(database);
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/**
 * A fresh database with every migration applied. On MySQL it is a copy of a template migrated
 * once for the suite, not migrated from scratch: TypeORM reads a table's foreign keys from
 * INFORMATION_SCHEMA before it alters the table (34 such joins per database), and MariaDB 10.11
 * crashed on exactly those joins under the suite (signal 11 in ha_maria::drop_table). The schema is
 * the same either way; the migrations themselves stay tested where they run on an empty database
 * (several instances starting at once, the migration to time zones and currencies).
 */
export async function createMigratedDatabase(database: DatabaseUrl): Promise<void> {
  await createDatabase(database);
  if (database.kind !== 'mysql') return;
  const connection = await connectTo(database);
  try {
    const template = await migratedTemplate(connection, database);
    await copyDatabase(connection, template, database.database);
  } finally {
    await connection.end();
  }
}

/**
 * The template is named after the migrations' sources, so an edited migration makes a new one and
 * drops the old; the named lock lets the first spec file build it while the others wait. It stays
 * on the server after the suite, for the next run.
 */
async function migratedTemplate(connection: Connection, database: MysqlUrl): Promise<string> {
  const template = TEMPLATE_PREFIX + migrationsDigest();
  const [[locked]] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS acquired', [TEMPLATE_LOCK, TEMPLATE_LOCK_WAIT_SECONDS]);
  if (Number(locked.acquired) !== 1) throw new Error(`The test template's lock was not free within ${TEMPLATE_LOCK_WAIT_SECONDS} s`);
  try {
    const [existing] = await connection.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', [`${TEMPLATE_PREFIX.replace(/_/g, '\\_')}%`]);
    const names = existing.map((row) => String(Object.values(row)[0]));
    for (const stale of names.filter((name) => name !== template)) await connection.query(`DROP DATABASE \`${stale}\``);
    if (names.includes(template) && (await fullyMigrated(connection, template))) return template;
    await connection.query(`DROP DATABASE IF EXISTS \`${template}\``);
    await connection.query(`CREATE DATABASE \`${template}\` CHARACTER SET utf8mb4`);
    const dataSource = await new DataSource(dataSourceOptions({ url: { ...database, database: template }, poolSize: 2 })).initialize();
    try {
      await runMigrations(dataSource);
    } finally {
      await dataSource.destroy();
    }
    return template;
  } finally {
    await connection.query('SELECT RELEASE_LOCK(?)', [TEMPLATE_LOCK]);
  }
}

/** A build that was killed halfway leaves fewer migrations recorded than the app runs. */
async function fullyMigrated(connection: Connection, template: string): Promise<boolean> {
  try {
    const [[row]] = await connection.query<RowDataPacket[]>(`SELECT COUNT(*) AS applied FROM \`${template}\`.migrations`);
    return Number(row.applied) === migrations.length;
  } catch {
    return false; // no migrations table yet
  }
}

/** Every table as SHOW CREATE TABLE gives it (foreign keys included, which CREATE TABLE … LIKE drops), then its rows: the migrations table's. */
async function copyDatabase(connection: Connection, from: string, to: string): Promise<void> {
  const [tables] = await connection.query<RowDataPacket[]>(`SHOW FULL TABLES FROM \`${from}\` WHERE Table_type = 'BASE TABLE'`);
  await connection.query(`USE \`${to}\``);
  await connection.query('SET FOREIGN_KEY_CHECKS = 0');
  for (const table of tables.map((row) => String(Object.values(row)[0]))) {
    const [[created]] = await connection.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${from}\`.\`${table}\``);
    await connection.query(String(created['Create Table']));
    await connection.query(`INSERT INTO \`${table}\` SELECT * FROM \`${from}\`.\`${table}\``);
  }
}

/** Over every source in the directory: the migrations, and the helpers and list they import. */
function migrationsDigest(): string {
  const digest = createHash('sha256');
  const sources = readdirSync(MIGRATIONS)
    .filter((name) => name.endsWith('.ts'))
    .sort();
  for (const name of sources) digest.update(name).update(readFileSync(join(MIGRATIONS, name)));
  return digest.digest('hex').slice(0, 16);
}

function connectTo(database: MysqlUrl): Promise<Connection> {
  return createConnection({ host: database.host, port: database.port, user: database.username, password: database.password });
}
