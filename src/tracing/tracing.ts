import { FastifyOtelInstrumentation } from '@fastify/otel';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Probed every few seconds by orchestrators and scrapers: a trace for each would drown the rest. */
function isProbe(path: string): boolean {
  return path.startsWith('/health/') || path === '/metrics' || path.startsWith('/metrics?');
}

/**
 * OpenTelemetry's Node SDK, exporting to OTEL_EXPORTER_OTLP_ENDPOINT over OTLP/HTTP (protobuf;
 * OTEL_EXPORTER_OTLP_PROTOCOL and the other OTEL_* variables apply as the SDK documents). Loaded
 * only when tracing is on (see main.ts). A request's trace: the HTTP server span, named by its route
 * template; @fastify/otel's request and handler spans; one span per MySQL statement (SQLite has no
 * instrumentation). Statements are recorded as written, with their ? placeholders and never the
 * values, which carry customers' names and e-mail addresses. Fastify's lifecycle hooks (request id,
 * logs, metrics) get no spans of their own: they would cost more than they tell.
 */
export function startTracing(): void {
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'ticketing-api',
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isProbe(request.url ?? '') }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true, instrumentHooks: false, ignorePaths: ({ url }) => isProbe(url) }),
      new MySQL2Instrumentation({ maskStatement: true, maskStatementHook: (statement) => statement }),
    ],
  });
  sdk.start();
}
