import type { ServerResponse } from 'node:http';

export interface UnhandledError {
  error: unknown;
  errorId: string;
}

const unhandled = new WeakMap<ServerResponse, UnhandledError>();

/** Called by the exception filter on a 500, so that the request's log line carries the error. */
export function recordUnhandledError(response: ServerResponse, error: unknown, errorId: string): void {
  unhandled.set(response, { error, errorId });
}

export function unhandledErrorOf(response: ServerResponse): UnhandledError | undefined {
  return unhandled.get(response);
}
