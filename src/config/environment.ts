import { isSupportedCurrency } from '../common/currency.js';

export type DatabaseUrl =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'mysql';
      host: string;
      port: number;
      username: string;
      password: string;
      database: string;
    };

export type MysqlUrl = Extract<DatabaseUrl, { kind: 'mysql' }>;

export interface Environment {
  PORT: number;
  HOST: string;
  DATABASE_URL: DatabaseUrl;
  DATABASE_POOL_SIZE: number;
  LOCK_WAIT_TIMEOUT_SECONDS: number;
  HOLD_TTL_SECONDS: number;
  HOLD_SWEEP_INTERVAL_SECONDS: number;
  WAITLIST_OFFER_TTL_SECONDS: number;
  LOG_LEVEL: LogLevel;
  LOG_FORMAT: LogFormat;
  SHUTDOWN_GRACE_SECONDS: number;
  HTTP_HEADERS_TIMEOUT_SECONDS: number;
  HTTP_REQUEST_TIMEOUT_SECONDS: number;
  ORGANIZER_API_KEY: string | undefined;
  RATE_LIMIT_PER_MINUTE: number;
  TRUSTED_PROXIES: number;
  /** null, not undefined, when unset: ConfigService.get falls back to the raw process.env for undefined. */
  REDIS_URL: string | null;
  CORS_ORIGINS: string[];
  BOOKING_COALESCING: Switch;
  /** Where traces go (OTLP/HTTP); null leaves tracing off. Read by main.ts before the app loads. */
  OTEL_EXPORTER_OTLP_ENDPOINT: string | null;
  DATABASE_REPLICA_URLS: MysqlUrl[];
  READ_CACHE_MS: number;
  /** ISO 4217: the currency of an event created without one (and of events that predate currencies). */
  DEFAULT_CURRENCY: string;
  /** Lets webhook URLs reach loopback and private addresses (development and tests only). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: boolean;
  WEBHOOK_TIMEOUT_SECONDS: number;
  WEBHOOK_LEASE_SECONDS: number;
  WEBHOOK_RETRY_BASE_SECONDS: number;
  WEBHOOK_MAX_ATTEMPTS: number;
  WEBHOOK_RETENTION_DAYS: number;
  WEBHOOK_POLL_INTERVAL_MS: number;
}

export const SWITCHES = ['on', 'off'] as const;
export type Switch = (typeof SWITCHES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json` is one object per line for log collectors; `pretty` is colourised text for a terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const DEFAULT_SQLITE_PATH = 'data/ticketing.sqlite';

/** Raised for a bad environment; its message is the one line printed before exiting. */
export class ConfigurationError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigurationError';
  }
}

type RawEnvironment = Record<string, string | undefined>;

function readInteger(
  env: RawEnvironment,
  variable: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const text = raw.trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigurationError(
      variable,
      `must be an integer from ${min} to ${max} (got "${raw}")`,
    );
  }
  return value;
}

/** Seconds, fractions allowed (tests run retries and leases in tenths of a second). */
function readSeconds(env: RawEnvironment, variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const text = raw.trim();
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value < min || value > max) {
    throw new ConfigurationError(variable, `must be a number of seconds from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function readBoolean(env: RawEnvironment, variable: string): boolean {
  const value = readString(env, variable, 'false').toLowerCase();
  if (value !== 'true' && value !== 'false') throw new ConfigurationError(variable, `must be true or false (got "${env[variable]}")`);
  return value === 'true';
}

function readString(env: RawEnvironment, variable: string, fallback: string): string {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  return raw.trim();
}

function readChoice<T extends string>(env: RawEnvironment, variable: string, choices: readonly T[], fallback: T): T {
  const value = readString(env, variable, fallback).toLowerCase();
  if (!(choices as readonly string[]).includes(value)) {
    throw new ConfigurationError(variable, `must be one of ${choices.join(', ')} (got "${env[variable]}")`);
  }
  return value as T;
}

/** Optional; when set, long enough to be a real secret and free of characters a header would mangle. */
function readApiKey(env: RawEnvironment, variable: string): string | undefined {
  const raw = env[variable];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[A-Za-z0-9._~+/=-]{32,255}$/.test(raw)) {
    throw new ConfigurationError(variable, 'must be 32 to 255 characters of letters, digits and ._~+/=- (generate one with `npm run --silent organizers -- create NAME`)');
  }
  return raw;
}

/** Comma-separated origins such as https://shop.example.com; empty leaves CORS off. */
function readOrigins(env: RawEnvironment, variable: string): string[] {
  const origins = readString(env, variable, '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      throw new ConfigurationError(variable, `must list origins like https://shop.example.com, separated by commas (got "${origin}")`);
    }
  }
  return origins;
}

/** Optional; redis://[USER:PASS@]HOST[:PORT][/DB], or rediss:// for TLS. Not echoed: it may hold a password. */
function readRedisUrl(env: RawEnvironment, variable: string): string | null {
  const text = readString(env, variable, '');
  if (text === '') return null;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const valid = url !== undefined && (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^\/?\d*$/.test(url.pathname);
  if (!valid) throw new ConfigurationError(variable, 'must be redis://HOST:PORT (or rediss:// for TLS), optionally with USER:PASS@ and a database number as the path');
  return text;
}

/**
 * OTEL_EXPORTER_OTLP_ENDPOINT, the OpenTelemetry variable the exporter itself reads (it sends to
 * its /v1/traces): an http(s) URL turns tracing on, empty leaves it off.
 */
export function readTracesEndpoint(env: RawEnvironment): string | null {
  const variable = 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const text = readString(env, variable, '');
  if (text === '') return null;
  let protocol: string | undefined;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ConfigurationError(variable, `must be an http:// or https:// URL such as http://collector:4318 (got "${text}")`);
  }
  return text;
}

/** DEFAULT_CURRENCY, also read by the migration that gave existing events a currency. */
export function readDefaultCurrency(env: RawEnvironment): string {
  const currency = readString(env, 'DEFAULT_CURRENCY', 'EUR');
  if (!isSupportedCurrency(currency)) {
    throw new ConfigurationError('DEFAULT_CURRENCY', `must be an ISO 4217 code in capitals with at most 2 decimals, e.g. EUR, USD or JPY (got "${currency}")`);
  }
  return currency;
}

export function parseDatabaseUrl(raw: string | undefined, variable = 'DATABASE_URL'): DatabaseUrl {
  if (raw === undefined || raw.trim() === '') {
    return { kind: 'sqlite', path: DEFAULT_SQLITE_PATH };
  }
  const text = raw.trim();
  if (text.startsWith('sqlite://')) {
    const path = text.slice('sqlite://'.length);
    if (path === '') {
      throw new ConfigurationError(variable, 'must name a file after sqlite:// (e.g. sqlite://data/app.sqlite)');
    }
    return { kind: 'sqlite', path };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(
      variable,
      'must be sqlite://PATH or mysql://USER:PASS@HOST:PORT/DB',
    );
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new ConfigurationError(
      variable,
      `has an unsupported scheme "${url.protocol.replace(/:$/, '')}" (use sqlite:// or mysql://)`,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.hostname === '' || database === '' || database.includes('/')) {
    throw new ConfigurationError(variable, 'must be mysql://USER:PASS@HOST:PORT/DB with a host and a database name');
  }
  return {
    kind: 'mysql',
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    username: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database,
  };
}

/**
 * Comma-separated mysql:// URLs of replicas of DATABASE_URL, for the public reads; empty for none.
 * An embedded SQLite file has no replicas.
 */
function readReplicaUrls(env: RawEnvironment, primary: DatabaseUrl): MysqlUrl[] {
  const variable = 'DATABASE_REPLICA_URLS';
  const listed = readString(env, variable, '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  if (listed.length > 0 && primary.kind !== 'mysql') {
    throw new ConfigurationError(variable, 'needs DATABASE_URL to be mysql:// (an embedded SQLite file has no replicas)');
  }
  const replicas: MysqlUrl[] = [];
  for (const text of listed) {
    const url = parseDatabaseUrl(text, variable);
    if (url.kind !== 'mysql') throw new ConfigurationError(variable, `must list mysql:// URLs (got "${text}")`);
    if (replicas.some((replica) => replica.host === url.host && replica.port === url.port)) {
      throw new ConfigurationError(variable, `lists ${url.host}:${url.port} twice`);
    }
    replicas.push(url);
  }
  return replicas;
}

/** A request's headers must arrive within its whole bound, or that bound would never apply first. */
function readRequestTimeouts(env: RawEnvironment): Pick<Environment, 'HTTP_HEADERS_TIMEOUT_SECONDS' | 'HTTP_REQUEST_TIMEOUT_SECONDS'> {
  const headers = readInteger(env, 'HTTP_HEADERS_TIMEOUT_SECONDS', 10, 1, 3600);
  const request = readInteger(env, 'HTTP_REQUEST_TIMEOUT_SECONDS', 30, 1, 3600);
  if (headers > request) {
    throw new ConfigurationError('HTTP_HEADERS_TIMEOUT_SECONDS', `must not exceed HTTP_REQUEST_TIMEOUT_SECONDS (${headers} > ${request})`);
  }
  return { HTTP_HEADERS_TIMEOUT_SECONDS: headers, HTTP_REQUEST_TIMEOUT_SECONDS: request };
}

/**
 * A lease must outlast the send it covers, or a slow receiver's message would be claimed and sent
 * again by another instance while the first send is still waiting for its answer.
 */
function readWebhookTimes(env: RawEnvironment): Pick<Environment, 'WEBHOOK_TIMEOUT_SECONDS' | 'WEBHOOK_LEASE_SECONDS'> {
  const timeout = readSeconds(env, 'WEBHOOK_TIMEOUT_SECONDS', 5, 0.1, 60);
  const lease = readSeconds(env, 'WEBHOOK_LEASE_SECONDS', 30, 0.2, 3600);
  if (lease <= timeout) {
    throw new ConfigurationError('WEBHOOK_LEASE_SECONDS', `must be longer than WEBHOOK_TIMEOUT_SECONDS (${lease} <= ${timeout})`);
  }
  return { WEBHOOK_TIMEOUT_SECONDS: timeout, WEBHOOK_LEASE_SECONDS: lease };
}

/** Validates the process environment once at boot; used as ConfigModule's `validate`. */
export function validateEnvironment(env: RawEnvironment): Environment {
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL);
  return {
    PORT: readInteger(env, 'PORT', 3000, 0, 65535),
    HOST: readString(env, 'HOST', '0.0.0.0'),
    DATABASE_URL: databaseUrl,
    // At least 2: start-up holds one connection for the migration lock while another migrates.
    DATABASE_POOL_SIZE: readInteger(env, 'DATABASE_POOL_SIZE', 10, 2, 1000),
    LOCK_WAIT_TIMEOUT_SECONDS: readInteger(env, 'LOCK_WAIT_TIMEOUT_SECONDS', 5, 1, 3600),
    HOLD_TTL_SECONDS: readInteger(env, 'HOLD_TTL_SECONDS', 600, 1, 86_400),
    HOLD_SWEEP_INTERVAL_SECONDS: readInteger(env, 'HOLD_SWEEP_INTERVAL_SECONDS', 10, 1, 3600),
    WAITLIST_OFFER_TTL_SECONDS: readInteger(env, 'WAITLIST_OFFER_TTL_SECONDS', 3600, 1, 604_800),
    LOG_LEVEL: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    LOG_FORMAT: readChoice(env, 'LOG_FORMAT', LOG_FORMATS, 'json'),
    SHUTDOWN_GRACE_SECONDS: readInteger(env, 'SHUTDOWN_GRACE_SECONDS', 10, 0, 3600),
    ...readRequestTimeouts(env),
    ORGANIZER_API_KEY: readApiKey(env, 'ORGANIZER_API_KEY'),
    RATE_LIMIT_PER_MINUTE: readInteger(env, 'RATE_LIMIT_PER_MINUTE', 60, 0, 1_000_000),
    TRUSTED_PROXIES: readInteger(env, 'TRUSTED_PROXIES', 0, 0, 10),
    REDIS_URL: readRedisUrl(env, 'REDIS_URL'),
    CORS_ORIGINS: readOrigins(env, 'CORS_ORIGINS'),
    BOOKING_COALESCING: readChoice(env, 'BOOKING_COALESCING', SWITCHES, 'on'),
    OTEL_EXPORTER_OTLP_ENDPOINT: readTracesEndpoint(env),
    DATABASE_REPLICA_URLS: readReplicaUrls(env, databaseUrl),
    // Up to a minute: availability shown from memory any longer than that would mislead buyers.
    READ_CACHE_MS: readInteger(env, 'READ_CACHE_MS', 0, 0, 60_000),
    DEFAULT_CURRENCY: readDefaultCurrency(env),
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: readBoolean(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS'),
    ...readWebhookTimes(env),
    WEBHOOK_RETRY_BASE_SECONDS: readSeconds(env, 'WEBHOOK_RETRY_BASE_SECONDS', 10, 0.01, 3600),
    WEBHOOK_MAX_ATTEMPTS: readInteger(env, 'WEBHOOK_MAX_ATTEMPTS', 15, 1, 100),
    // At least a day, the longest a hold lives: a hold's end is announced from its hold.created message.
    WEBHOOK_RETENTION_DAYS: readInteger(env, 'WEBHOOK_RETENTION_DAYS', 7, 1, 3650),
    WEBHOOK_POLL_INTERVAL_MS: readInteger(env, 'WEBHOOK_POLL_INTERVAL_MS', 500, 10, 60_000),
  };
}
