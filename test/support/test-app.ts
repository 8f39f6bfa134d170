import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl, type DatabaseUrl } from '../../src/config/environment.js';
import type { DestinationStream } from 'pino';
import { applicationOptions, configureApplication } from '../../src/app-setup.js';
import { createHttpAdapter } from '../../src/http/http-adapter.js';
import { LOG_DESTINATION } from '../../src/logging/logging.module.js';
import { OPENAPI_JSON_PATH } from '../../src/openapi/openapi.js';
import { injectedHttp, type InjectedHttp } from './injected-http.js';
import { ResponseValidator } from './response-validator.js';
import { createMigratedDatabase, dropDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** Requests answered in-process through Fastify's inject() (see injected-http.ts), each answer checked against the served document. */
  http: () => InjectedHttp;
  /** The served OpenAPI document's checks, for answers the spec gets by other means. */
  contract: ResponseValidator;
  dataSource: DataSource;
  database: DatabaseUrl;
  /** Every route the HTTP server registered, as Fastify saw it. */
  routes: { method: string; url: string }[];
  close: () => Promise<void>;
}

export interface TestAppOptions {
  /** Receives the app's log lines instead of standard output. */
  logDestination?: DestinationStream;
}

/**
 * Boots the whole application on this spec's own fresh database. It also listens on a free port
 * (app.getHttpServer()) for specs that must send bytes over a real socket; http() needs none.
 * `environment` is applied before the app module first loads, since configuration is read then
 * (once per spec file).
 */
export async function createTestApp(environment: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  Object.assign(process.env, environment);
  const database = parseDatabaseUrl(process.env.DATABASE_URL);
  await createMigratedDatabase(database);
  const { AppModule } = await import('../../src/app.module.js');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(LOG_DESTINATION)
    .useValue(options.logDestination)
    .compile();
  const adapter = createHttpAdapter();
  const routes: TestApp['routes'] = [];
  adapter.getInstance().addHook('onRoute', ({ method, url }) => {
    for (const each of [method].flat()) routes.push({ method: each, url });
  });
  const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { ...applicationOptions, bufferLogs: true });
  configureApplication(app);
  await app.listen(0, '127.0.0.1');
  const contract = new ResponseValidator((await app.inject({ method: 'GET', url: OPENAPI_JSON_PATH })).json());
  const http = injectedHttp(app, contract);
  return {
    app,
    http: () => http,
    contract,
    dataSource: app.get(DataSource),
    database,
    routes,
    close: async () => {
      await app.close();
      await dropDatabase(database);
    },
  };
}
