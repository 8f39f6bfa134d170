import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';

/**
 * Bounds a signalled shutdown. Nest then stops the HTTP server (no new connections, in-flight
 * requests finish) and only afterwards closes the database; should that take longer than
 * SHUTDOWN_GRACE_SECONDS, the process exits with status 1 rather than hang until it is killed.
 */
@Injectable()
export class ShutdownDeadline implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(private readonly config: ConfigService<Environment, true>) {}

  beforeApplicationShutdown(signal?: string): void {
    if (signal === undefined) return;
    const seconds = this.config.get('SHUTDOWN_GRACE_SECONDS', { infer: true });
    this.logger.log(`${signal} received: finishing in-flight requests within ${seconds} s`);
    setTimeout(() => {
      this.logger.error(`Requests still in flight after ${seconds} s; exiting anyway`);
      process.exit(1);
    }, seconds * 1000).unref();
  }
}
