import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';

export interface ReceivedMessage {
  id: string;
  type: string;
  data: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

/** How the receiver answers one request: a status, after an optional delay, or once `until` has settled. */
export type Answer = { status: number; delayMs?: number; until?: Promise<unknown>; location?: string };

/**
 * An organiser's webhook receiver on loopback, as small as a test needs: it keeps every request in
 * arrival order, answers as `answer` says (200 by default), and notes when two requests for the
 * same message were in flight at once, which at-least-once delivery with leases must never do.
 */
export class WebhookReceiver {
  readonly received: ReceivedMessage[] = [];
  /**
   * Message ids that arrived at a path while an earlier request for the same id at that path was
   * still open and unanswered (one message goes to each of its organiser's webhooks, with one id).
   */
  readonly overlapping: string[] = [];
  answer: (message: ReceivedMessage) => Answer = () => ({ status: 200 });
  private readonly inFlight = new Map<string, { open: boolean }>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver: WebhookReceiver = new WebhookReceiver(
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        const sending = { open: true };
        // A sender that gave up (timed out) closes the connection: the message is no longer in flight from its side.
        response.on('close', () => (sending.open = false));
        request.on('end', () =>
          void receiver.take(request.headers, request.url ?? '/', Buffer.concat(chunks).toString(), sending, (answer) => response.writeHead(answer.status, answer.location ? { location: answer.location } : {}).end()),
        );
      }),
    );
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Verifies every message received so far under `secret` with the standardwebhooks package; throws at the first that fails. */
  verifyAll(secret: string, messages = this.received): void {
    const verifier = new Webhook(secret);
    for (const message of messages) verifier.verify(message.body, message.headers as Record<string, string>);
  }

  ofType(type: string): ReceivedMessage[] {
    return this.received.filter((message) => message.type === type);
  }

  /** Polls until `done` holds of what arrived, or fails after `timeoutMs`. */
  async waitFor(done: (received: ReceivedMessage[]) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.received)) {
      if (Date.now() > deadline) throw new Error(`The receiver did not get what was awaited within ${timeoutMs} ms (${this.received.length} received)`);
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async take(headers: IncomingHttpHeaders, path: string, body: string, sending: { open: boolean }, respond: (answer: Answer) => void): Promise<void> {
    const parsed = JSON.parse(body) as { type: string; data: Record<string, unknown> };
    const message: ReceivedMessage = { id: String(headers['webhook-id']), type: parsed.type, data: parsed.data, headers, body, path };
    const key = `${path} ${message.id}`;
    if (this.inFlight.get(key)?.open) this.overlapping.push(message.id);
    this.inFlight.set(key, sending);
    this.received.push(message);
    const answer = this.answer(message);
    if (answer.delayMs) await sleep(answer.delayMs);
    if (answer.until) await answer.until;
    if (this.inFlight.get(key) === sending) this.inFlight.delete(key);
    respond(answer);
  }
}
