import { Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Environment } from '../config/environment.js';
import { httpLoggerOptions } from './http-logger-options.js';

/** Where log lines go: standard output, unless a test swaps in a stream it can read. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_DESTINATION, useValue: undefined }],
      inject: [ConfigService, LOG_DESTINATION],
      useFactory: (config: ConfigService<Environment, true>, destination: DestinationStream | undefined) => {
        const options = httpLoggerOptions(config.get('LOG_LEVEL', { infer: true }), config.get('LOG_FORMAT', { infer: true }));
        return {
          pinoHttp: destination ? [options, destination] : options,
          // nestjs-pino's default route pattern, `{/*splat}`, is turned into `/{/*splat}` by
          // @fastify/middie 9 and then matches no request; this one matches every path.
          forRoutes: [{ path: '/{*path}', method: RequestMethod.ALL }],
        };
      },
    }),
  ],
})
export class LoggingModule {}
