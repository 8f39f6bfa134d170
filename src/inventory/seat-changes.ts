import { Injectable } from '@nestjs/common';

/**
 * Which event's seats the ledger has just changed, announced once each of its own transactions
 * has ended, for those who keep copies of availability in memory (the events read cache,
 * READ_CACHE_MS): they drop the event's copies before the buyer hears the answer.
 */
@Injectable()
export class SeatChanges {
  private readonly listeners: ((eventId: number) => void)[] = [];

  onChange(listener: (eventId: number) => void): void {
    this.listeners.push(listener);
  }

  announce(eventId: number): void {
    for (const listener of this.listeners) listener(eventId);
  }
}
