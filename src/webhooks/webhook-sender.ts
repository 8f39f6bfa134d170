import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, literalHostAllowed } from './url-policy.js';

/** What became of one attempt: the receiver's status, or why there was none. */
export type SendOutcome = { statusCode: number } | { error: string };

export interface OutgoingMessage {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Receivers answer a status; a body past this is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST of a signed message. Redirects are answers like any other (a 3xx is not a 2xx, so it
 * is retried, never followed); the whole exchange, connecting included, is bounded by the timeout.
 */
export function sendWebhook(message: OutgoingMessage, timeoutMs: number, allowPrivateNetworks: boolean): Promise<SendOutcome> {
  const url = new URL(message.url);
  if (!literalHostAllowed(url, allowPrivateNetworks)) return Promise.resolve({ error: `${url.hostname} is not a public address` });
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...message.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(message.body), 'user-agent': 'ticketing-api-webhooks' },
        lookup: allowPrivateNetworks ? undefined : guardedLookup,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (answer: IncomingMessage) => {
        let read = 0;
        answer.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) answer.destroy();
        });
        answer.on('close', () => resolve({ statusCode: answer.statusCode ?? 0 }));
        answer.on('error', () => undefined);
      },
    );
    outgoing.on('error', (error: Error) => {
      resolve({ error: error.name === 'AbortError' || error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : error.message.slice(0, 500) });
    });
    outgoing.end(message.body);
  });
}
