import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { onEveryResponse } from '../http/http-adapter.js';

/** How many requests this instance answered per second, measured between two calls of `sinceLastRead`. */
@Injectable()
export class RequestRate implements OnModuleInit {
  private answered = 0;
  private readAt = performance.now();

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    onEveryResponse(this.adapterHost, () => {
      this.answered += 1;
    });
  }

  sinceLastRead(): number {
    const now = performance.now();
    const rate = (this.answered * 1000) / Math.max(1, now - this.readAt);
    this.answered = 0;
    this.readAt = now;
    return rate;
  }
}
