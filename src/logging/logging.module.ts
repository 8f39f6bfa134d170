import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DestinationStream } from 'pino';
import type { Environment } from '../config/environment.js';
import { AppLogger, ROOT_LOGGER } from './app-logger.js';
import { createRootLogger } from './root-logger.js';

/** Where log lines go: standard output, unless a test swaps in a stream it can read. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

@Global()
@Module({
  providers: [
    { provide: LOG_DESTINATION, useValue: undefined },
    {
      provide: ROOT_LOGGER,
      inject: [ConfigService, LOG_DESTINATION],
      useFactory: (config: ConfigService<Environment, true>, destination: DestinationStream | undefined) =>
        createRootLogger(config.get('LOG_LEVEL', { infer: true }), config.get('LOG_FORMAT', { infer: true }), destination),
    },
    AppLogger,
  ],
  exports: [AppLogger, ROOT_LOGGER],
})
export class LoggingModule {}
