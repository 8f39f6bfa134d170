import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { ConfigurationError, type Environment } from './config/environment.js';
import { applicationOptions, configureApplication } from './app-setup.js';
import { createHttpAdapter } from './http/http-adapter.js';

/** Starts the service; main.ts imports this module only once tracing, if on, is in place. */
async function bootstrap(): Promise<void> {
  // Logs are buffered until start-up succeeds, so that a bad environment is reported by the
  // single line below rather than after Nest's own stack trace.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), {
    ...applicationOptions,
    bufferLogs: true,
    abortOnError: false,
    autoFlushLogs: false,
  });
  configureApplication(app);
  app.flushLogs();
  // process.exit(0) once closed (rather than re-raising the signal), so a clean shutdown exits 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  const port = config.get('PORT', { infer: true });
  const host = config.get('HOST', { infer: true });
  await app.listen(port, host);
  Logger.log(`Listening on http://${host}:${port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    console.error(error.message);
  } else {
    Logger.flush();
    console.error(error);
  }
  process.exit(1);
});
