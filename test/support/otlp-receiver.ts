import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  scope: string;
  attributes: Record<string, unknown>;
}

interface OtlpJsonValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}

interface OtlpJsonExport {
  resourceSpans: {
    scopeSpans: {
      scope: { name: string };
      spans: (Omit<ReceivedSpan, 'scope' | 'attributes'> & { attributes?: { key: string; value: OtlpJsonValue }[] })[];
    }[];
  }[];
}

/**
 * A collector's OTLP/HTTP endpoint, as small as a test needs: POST /v1/traces with the JSON
 * encoding (the app is started with OTEL_EXPORTER_OTLP_PROTOCOL=http/json, since decoding the
 * protobuf default would need the collector's schema), answered 200, spans kept in arrival order.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver(createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const accepted = request.method === 'POST' && request.url === '/v1/traces' && String(request.headers['content-type']).startsWith('application/json');
        if (accepted) receiver.keep(JSON.parse(Buffer.concat(chunks).toString()) as OtlpJsonExport);
        response.writeHead(accepted ? 200 : 415, { 'Content-Type': 'application/json' }).end('{}');
      });
    }));
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to; the exporter appends /v1/traces. */
  get endpoint(): string {
    const address = this.server.address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }

  /** Waits (polling, up to the timeout) until the spans of one trace satisfy `done`, and returns them. */
  async trace(traceId: string, done: (spans: ReceivedSpan[]) => boolean, timeoutMs = 10_000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const spans = this.spans.filter((span) => span.traceId === traceId);
      if (done(spans) || Date.now() > deadline) return spans;
      await sleep(50);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private keep(exported: OtlpJsonExport): void {
    for (const { scopeSpans } of exported.resourceSpans) {
      for (const { scope, spans } of scopeSpans) {
        for (const { attributes = [], ...span } of spans) {
          this.spans.push({ ...span, scope: scope.name, attributes: Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]])) });
        }
      }
    }
  }
}
