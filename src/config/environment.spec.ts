import { ConfigurationError, validateEnvironment } from './environment.js';

describe('validateEnvironment', () => {
  it('defaults to port 3000 on all interfaces with an embedded SQLite file under data/', () => {
    expect(validateEnvironment({})).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_URL: { kind: 'sqlite', path: 'data/ticketing.sqlite' },
    });
  });

  it('logs JSON at info level and allows 10 s for in-flight requests at shutdown by default', () => {
    expect(validateEnvironment({})).toMatchObject({ LOG_LEVEL: 'info', LOG_FORMAT: 'json', SHUTDOWN_GRACE_SECONDS: 10 });
  });

  it('gives a request 10 s for its headers and 30 s in all by default, and refuses a headers bound above the whole', () => {
    expect(validateEnvironment({})).toMatchObject({ HTTP_HEADERS_TIMEOUT_SECONDS: 10, HTTP_REQUEST_TIMEOUT_SECONDS: 30 });
    expect(validateEnvironment({ HTTP_HEADERS_TIMEOUT_SECONDS: '2', HTTP_REQUEST_TIMEOUT_SECONDS: '2' })).toMatchObject({ HTTP_HEADERS_TIMEOUT_SECONDS: 2, HTTP_REQUEST_TIMEOUT_SECONDS: 2 });
    expect(() => validateEnvironment({ HTTP_HEADERS_TIMEOUT_SECONDS: '31' })).toThrow(
      new ConfigurationError('HTTP_HEADERS_TIMEOUT_SECONDS', 'must not exceed HTTP_REQUEST_TIMEOUT_SECONDS (31 > 30)'),
    );
    expect(() => validateEnvironment({ HTTP_REQUEST_TIMEOUT_SECONDS: '0' })).toThrow(ConfigurationError);
  });

  it('reads the log level and format regardless of case', () => {
    expect(validateEnvironment({ LOG_LEVEL: 'DEBUG', LOG_FORMAT: 'Pretty', SHUTDOWN_GRACE_SECONDS: '0' })).toMatchObject({
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      SHUTDOWN_GRACE_SECONDS: 0,
    });
  });

  it('defaults to 60 public writes a minute, no trusted proxy, no CORS and no bootstrap key', () => {
    expect(validateEnvironment({})).toMatchObject({
      RATE_LIMIT_PER_MINUTE: 60,
      TRUSTED_PROXIES: 0,
      CORS_ORIGINS: [],
      ORGANIZER_API_KEY: undefined,
    });
  });

  it('counts rate limits in memory unless REDIS_URL names a Redis server', () => {
    expect(validateEnvironment({}).REDIS_URL).toBeNull();
    expect(validateEnvironment({ REDIS_URL: ' ' }).REDIS_URL).toBeNull();
    for (const url of ['redis://127.0.0.1:6379', 'redis://:s%40cret@cache.internal/2', 'rediss://user:pw@cache.example.com:6380']) {
      expect(validateEnvironment({ REDIS_URL: url }).REDIS_URL).toBe(url);
    }
  });

  it('traces only when OTEL_EXPORTER_OTLP_ENDPOINT names an http(s) collector', () => {
    expect(validateEnvironment({}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeNull();
    expect(validateEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
  });

  it('reads a comma-separated list of CORS origins', () => {
    expect(validateEnvironment({ CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://a.example.com',
      'http://localhost:5173',
    ]);
  });

  it('coalesces concurrent bookings of one category by default, and reads the switch regardless of case', () => {
    expect(validateEnvironment({}).BOOKING_COALESCING).toBe('on');
    expect(validateEnvironment({ BOOKING_COALESCING: 'OFF' }).BOOKING_COALESCING).toBe('off');
    expect(validateEnvironment({ BOOKING_COALESCING: ' on ' }).BOOKING_COALESCING).toBe('on');
  });

  it('reads sqlite:// and mysql:// URLs', () => {
    expect(validateEnvironment({ DATABASE_URL: 'sqlite:///tmp/x.sqlite' }).DATABASE_URL).toEqual({ kind: 'sqlite', path: '/tmp/x.sqlite' });
    expect(validateEnvironment({ DATABASE_URL: 'mysql://app:s%40cret@db:3307/tickets' }).DATABASE_URL).toEqual({
      kind: 'mysql',
      host: 'db',
      port: 3307,
      username: 'app',
      password: 's@cret',
      database: 'tickets',
    });
  });

  it('reads no replicas and no read cache by default', () => {
    expect(validateEnvironment({})).toMatchObject({ DATABASE_REPLICA_URLS: [], READ_CACHE_MS: 0 });
  });

  it('reads a comma-separated list of replica URLs next to a MySQL primary', () => {
    const environment = validateEnvironment({
      DATABASE_URL: 'mysql://app@primary:3306/tickets',
      DATABASE_REPLICA_URLS: 'mysql://reader:pw@replica-1/tickets, mysql://reader:pw@replica-2:3307/tickets',
    });
    expect(environment.DATABASE_REPLICA_URLS).toEqual([
      { kind: 'mysql', host: 'replica-1', port: 3306, username: 'reader', password: 'pw', database: 'tickets' },
      { kind: 'mysql', host: 'replica-2', port: 3307, username: 'reader', password: 'pw', database: 'tickets' },
    ]);
  });

  it('reads the read cache lifetime in milliseconds', () => {
    expect(validateEnvironment({ READ_CACHE_MS: '1000' }).READ_CACHE_MS).toBe(1000);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be an integer'],
    [{ DATABASE_URL: 'postgres://localhost/x' }, 'DATABASE_URL has an unsupported scheme "postgres"'],
    [{ DATABASE_URL: 'mysql://localhost' }, 'DATABASE_URL must be mysql://USER:PASS@HOST:PORT/DB'],
    [{ DATABASE_URL: 'sqlite://' }, 'DATABASE_URL must name a file'],
    [{ DATABASE_URL: 'nonsense' }, 'DATABASE_URL must be sqlite://PATH or mysql://'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE must be an integer from 2'],
    [{ ORGANIZER_API_KEY: 'short' }, 'ORGANIZER_API_KEY must be 32 to 255 characters'],
    [{ ORGANIZER_API_KEY: `${'x'.repeat(40)} y` }, 'ORGANIZER_API_KEY must be 32 to 255 characters'],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE must be an integer from 0'],
    [{ TRUSTED_PROXIES: 'all' }, 'TRUSTED_PROXIES must be an integer from 0 to 10'],
    [{ REDIS_URL: 'redis://' }, 'REDIS_URL must be redis://HOST:PORT'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must be redis://HOST:PORT'],
    [{ REDIS_URL: 'http://cache.example.com' }, 'REDIS_URL must be redis://HOST:PORT'],
    [{ REDIS_URL: 'redis://cache.example.com/queue' }, 'REDIS_URL must be redis://HOST:PORT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL'],
    [{ CORS_ORIGINS: 'https://ok.example.com,shop.example.com' }, 'CORS_ORIGINS must list origins like https://shop.example.com'],
    [{ CORS_ORIGINS: 'https://shop.example.com/path' }, 'CORS_ORIGINS must list origins'],
    [{ DATABASE_REPLICA_URLS: 'mysql://replica/tickets' }, 'DATABASE_REPLICA_URLS needs DATABASE_URL to be mysql://'],
    [{ DATABASE_URL: 'mysql://primary/tickets', DATABASE_REPLICA_URLS: 'sqlite://copy.sqlite' }, 'DATABASE_REPLICA_URLS must list mysql:// URLs'],
    [{ DATABASE_URL: 'mysql://primary/tickets', DATABASE_REPLICA_URLS: 'mysql://replica' }, 'DATABASE_REPLICA_URLS must be mysql://USER:PASS@HOST:PORT/DB'],
    [{ DATABASE_URL: 'mysql://primary/tickets', DATABASE_REPLICA_URLS: 'mysql://r/t,mysql://r:3306/t' }, 'DATABASE_REPLICA_URLS lists r:3306 twice'],
    [{ READ_CACHE_MS: '-1' }, 'READ_CACHE_MS must be an integer from 0 to 60000'],
    [{ READ_CACHE_MS: '60001' }, 'READ_CACHE_MS must be an integer from 0 to 60000'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT must be one of json, pretty'],
    [{ BOOKING_COALESCING: 'yes' }, 'BOOKING_COALESCING must be one of on, off (got "yes")'],
    [{ SHUTDOWN_GRACE_SECONDS: '-1' }, 'SHUTDOWN_GRACE_SECONDS must be an integer from 0 to 3600'],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => validateEnvironment(env)).toThrow(ConfigurationError);
    expect(() => validateEnvironment(env)).toThrow(message);
  });
});
