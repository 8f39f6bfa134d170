import './lifecycle/supported-runtime.js';
import { existsSync } from 'node:fs';
import { ConfigurationError, readTracesEndpoint } from './config/environment.js';

// The tracing decision comes before Nest reads .env, so the file is read here too (the
// environment still takes precedence, as with ConfigModule).
if (existsSync('.env')) process.loadEnvFile('.env');

// Instrumentation patches modules as they are first loaded, so it starts before the app is
// imported; without OTEL_EXPORTER_OTLP_ENDPOINT nothing of OpenTelemetry's SDK is loaded at all.
try {
  if (readTracesEndpoint(process.env) !== null) (await import('./tracing/tracing.js')).startTracing();
} catch (error) {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
}
await import('./bootstrap.js');
