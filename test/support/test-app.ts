import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createConnection } from 'mysql2/promise';
import { rmSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl, type DatabaseUrl } from '../../src/config/environment.js';
import { applicationOptions, createHttpAdapter } from '../../src/http-adapter.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  database: DatabaseUrl;
  close: () => Promise<void>;
}

/**
 * Boots the whole application on this spec's own fresh database, listening on a free port.
 * `environment` is applied before the app module first loads, since configuration is read then
 * (once per spec file).
 */
export async function createTestApp(environment: Record<string, string> = {}): Promise<TestApp> {
  Object.assign(process.env, environment);
  const database = parseDatabaseUrl(process.env.DATABASE_URL);
  await createDatabase(database);
  const { AppModule } = await import('../../src/app.module.js');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), {
    ...applicationOptions,
    logger: ['error', 'warn'],
  });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  return {
    app,
    http: () => request(server),
    dataSource: app.get(DataSource),
    database,
    close: async () => {
      await app.close();
      await dropDatabase(database);
    },
  };
}

/** Refuses anything but a database whose name says it is a throw-away test database. */
function assertThrowAway(database: DatabaseUrl): void {
  const name = database.kind === 'mysql' ? database.database : database.path;
  if (!/test/i.test(name)) throw new Error(`Refusing to run tests against "${name}": its name must contain "test"`);
}

async function createDatabase(database: DatabaseUrl): Promise<void> {
  assertThrowAway(database);
  if (database.kind !== 'mysql') return;
  await onServer(database, `CREATE DATABASE \`${database.database}\` CHARACTER SET utf8mb4`);
}

async function dropDatabase(database: DatabaseUrl): Promise<void> {
  assertThrowAway(database);
  if (database.kind === 'mysql') {
    await onServer(database, `DROP DATABASE IF EXISTS \`${database.database}\``);
    return;
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${database.path}${suffix}`, { force: true });
}

async function onServer(database: Extract<DatabaseUrl, { kind: 'mysql' }>, statement: string): Promise<void> {
  const connection = await createConnection({
    host: database.host,
    port: database.port,
    user: database.username,
    password: database.password,
  });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}
