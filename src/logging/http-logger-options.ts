import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import type { LogFormat, LogLevel } from '../config/environment.js';
import { routeOf } from '../http-adapter.js';
import { unhandledErrorOf } from './unhandled-errors.js';

/** Probed every few seconds by orchestrators and scrapers: a line for each would drown the rest. */
const UNLOGGED_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

function requestFields(request: IncomingMessage, response: ServerResponse, responseTime: number) {
  return { method: request.method, route: routeOf(request), status: response.statusCode, duration_ms: responseTime };
}

/**
 * pino-http settings for one line per request: method, route template, status, duration and
 * request id (bound to every line logged while serving the request, too). A 500 adds the
 * error_id its body carries and the error with its stack.
 */
export function httpLoggerOptions(level: LogLevel, format: LogFormat): Options {
  return {
    level,
    transport:
      format === 'pretty'
        ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } }
        : undefined,
    // The request id is Fastify's (see http-adapter.ts), handed to this logger by the middleware layer.
    customAttributeKeys: { reqId: 'request_id' },
    quietReqLogger: true,
    quietResLogger: true,
    autoLogging: { ignore: (request) => UNLOGGED_ROUTES.has(routeOf(request)) },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, response, value: { responseTime: number }) =>
      requestFields(request, response, value.responseTime),
    customErrorObject: (request, response, error, value: { responseTime: number }) => {
      const unhandled = unhandledErrorOf(response);
      return {
        ...requestFields(request, response, value.responseTime),
        error_id: unhandled?.errorId,
        err: unhandled?.error ?? error,
      };
    },
  };
}
