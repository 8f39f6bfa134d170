import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PoolOptions } from 'mysql2';
import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import type { DatabaseUrl, MysqlUrl } from '../config/environment.js';
import { migrations } from './migrations/index.js';

/** Longest a new MySQL connection may take to be established. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Statements each MySQL connection keeps prepared for the pooled reads (BuiltQuery), the least
 * recently used closed first. The reads have a few hot shapes (an event, a page, its categories);
 * the bound keeps the server's count (pool size × this, per instance) far below MySQL's
 * max_prepared_stmt_count (16,382 by default), whatever shapes searches take.
 */
export const PREPARED_STATEMENTS_PER_CONNECTION = 64;

export interface DatabaseSettings {
  url: DatabaseUrl;
  poolSize: number;
  /**
   * In the app each module registers its own entities (TypeOrmModule.forFeature with
   * autoLoadEntities); processes without the Nest container name those they use.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities?: MixedList<Function | string | EntitySchema>;
}

/** One place that turns DATABASE_URL into TypeORM options, shared by the app and the command-line tools. */
export function dataSourceOptions({ url, poolSize, entities = [] }: DatabaseSettings): DataSourceOptions {
  const common = { entities, migrations, synchronize: false } as const;
  if (url.kind === 'sqlite') {
    if (url.path !== ':memory:') mkdirSync(dirname(url.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: url.path,
      // WAL lets readers proceed while the single writer commits.
      enableWAL: true,
    };
  }
  return {
    ...common,
    type: 'mysql',
    host: url.host,
    port: url.port,
    username: url.username,
    password: url.password,
    database: url.database,
    charset: 'utf8mb4',
    // Dates travel as UTC both ways, whatever the server's or the host's zone.
    timezone: 'Z',
    poolSize,
    // Bounds a connect to a server that does not answer (host down, packets dropped): a request then
    // answers 503 DATABASE_UNAVAILABLE after this, not mysql2's default 10 s. A stopped server
    // refuses at once whatever this is. 2 s proved too tight: on a loaded 2-core host, handshakes
    // of a pool filling up under a burst took longer and the burst got 503s.
    connectTimeout: CONNECT_TIMEOUT_MS,
    // TCP keep-alive notices a silently dead server on idle pooled connections; mysql2's pool drops a
    // connection on any fatal error and opens a new one on the next request, so it recovers by itself.
    // `trace: false`: mysql2 otherwise captures a stack trace for every query, a few percent of the
    // CPU of a request (seen in the booking profile); a failed query still reports its code and SQL.
    extra: { enableKeepAlive: true, keepAliveInitialDelay: 10_000, trace: false, maxPreparedStatements: PREPARED_STATEMENTS_PER_CONNECTION },
    // A write transaction sends its statements in as few round trips as it can (StatementPipeline):
    // the lock a booking holds lasts one round trip, not three. Every statement we send is built
    // with placeholders, so the flag never sees a string made from input.
    multipleStatements: true,
  };
}

/**
 * A read replica's mysql2 pool, with the conversions TypeORM gives the primary's (its mysql driver
 * passes these options on), so a row read from a replica is the row the primary would give:
 * UTC dates, DECIMAL and BIGINT as strings. Only reads travel here, so no multipleStatements.
 */
export function replicaPoolOptions(url: MysqlUrl, poolSize: number, connectTimeoutMs: number): PoolOptions {
  return {
    host: url.host,
    port: url.port,
    user: url.username,
    password: url.password,
    database: url.database,
    charset: 'utf8mb4',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    stringifyObjects: true,
    connectionLimit: poolSize,
    connectTimeout: connectTimeoutMs,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
    trace: false,
    maxPreparedStatements: PREPARED_STATEMENTS_PER_CONNECTION,
  };
}
