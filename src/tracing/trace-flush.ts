import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { trace, type ProxyTracerProvider } from '@opentelemetry/api';

/**
 * Exports the spans still buffered when the app shuts down (after in-flight requests finished),
 * so a deploy does not drop its last seconds of traces. With tracing off the global provider is
 * the API's no-op one, which has nothing to flush.
 */
@Injectable()
export class TraceFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as { forceFlush?: () => Promise<void> };
    await provider.forceFlush?.();
  }
}
