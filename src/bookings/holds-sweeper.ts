import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { HoldsService } from './holds.service.js';

/**
 * Gives the seats of expired holds back with nobody calling anything. Bookings already ignore
 * overdue holds on their own; the sweep makes the published counts catch up and keeps the table small.
 */
@Injectable()
export class HoldsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HoldsSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly holds: HoldsService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.get('HOLD_SWEEP_INTERVAL_SECONDS', { infer: true }) * 1000;
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Skips a tick while the previous sweep is still going rather than piling sweeps up. */
  runOnce(): Promise<void> {
    this.running ??= this.holds
      .sweep()
      .then((released) => {
        if (released > 0) this.logger.log(`Released ${released} seat(s) of expired holds`);
      })
      .catch((error: unknown) => this.logger.warn(`Hold sweep failed, will retry: ${String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
