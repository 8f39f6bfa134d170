import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { LogFormat, LogLevel } from '../config/environment.js';
import { serializeError } from './error-serializer.js';

/**
 * The one pino logger every line goes through: request lines and Nest's own logs. JSON lines on
 * standard output, or coloured single lines (pino-pretty) for a terminal; a test may pass the
 * stream it reads instead. Errors are written without the values of a failed statement.
 */
export function createRootLogger(level: LogLevel, format: LogFormat, destination?: DestinationStream): Logger {
  const options: LoggerOptions = { level, serializers: { err: serializeError } };
  if (destination) return pino(options, destination);
  if (format === 'pretty') {
    options.transport = { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } };
  }
  return pino(options);
}
