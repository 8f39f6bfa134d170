import { trace } from '@opentelemetry/api';

/**
 * The trace id of the span active in this async context, or undefined when there is none — and
 * always when tracing is off: the API alone answers from its no-op defaults, loading no SDK.
 */
export function activeTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}
