import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { guardedLookup, literalHostAllowed } from './url-policy.js';

/** What became of one attempt: the receiver's status, or why there was none. */
export type SendOutcome = { statusCode: number } | { error: string };

/** No connection to the receiver was free before `sendBy`: nothing went out, so it was no attempt. */
export const UNSENT = 'unsent';

export interface OutgoingMessage {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Receivers answer a status; a body past this is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Connections to a receiver are kept open between messages: a TCP (and TLS) handshake per message
 * cost more CPU than the rest of its delivery. A kept connection goes to the address checked when
 * it was opened, so reusing it keeps the URL policy.
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 16, maxFreeSockets: 16, timeout: 60_000 };
const agents = { http: new HttpAgent(AGENT_OPTIONS), https: new HttpsAgent(AGENT_OPTIONS) };

/**
 * One POST of a signed message. Redirects are answers like any other (a 3xx is not a 2xx, so it
 * is retried, never followed). The timeout runs from the moment one of the receiver's connections
 * is the message's, so it bounds the receiver's exchange, connecting included, and not the wait
 * behind other messages to a slow receiver: a message that gets no connection before `sendBy` is
 * not sent at all.
 */
export function sendWebhook(message: OutgoingMessage, timeoutMs: number, sendBy: number, allowPrivateNetworks: boolean): Promise<SendOutcome | typeof UNSENT> {
  const url = new URL(message.url);
  if (!literalHostAllowed(url, allowPrivateNetworks)) return Promise.resolve({ error: `${url.hostname} is not a public address` });
  const secure = url.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    // Bounded here, not by an abort signal alone: a kept-alive answer may never emit 'close' while
    // its socket stays open, and an endpoint gets no more messages from this instance until its late sends end.
    let timer = setTimeout(() => finish(UNSENT), Math.max(0, sendBy - Date.now()));
    let finished = false;
    function finish(outcome: SendOutcome | typeof UNSENT): void {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (outcome === UNSENT || 'error' in outcome) outgoing.destroy();
      resolve(outcome);
    }
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...message.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(message.body), 'user-agent': 'ticketing-api-webhooks' },
        agent: secure ? agents.https : agents.http,
        lookup: allowPrivateNetworks ? undefined : guardedLookup,
      },
      (answer: IncomingMessage) => {
        let read = 0;
        answer.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) answer.destroy();
        });
        const answered = () => finish({ statusCode: answer.statusCode ?? 0 });
        answer.on('end', answered);
        answer.on('close', answered);
        answer.on('error', () => undefined);
      },
    );
    outgoing.on('error', (error: Error) => finish({ error: error.message.slice(0, 500) }));
    // Nothing is written before the connection is the message's, so one given up while waiting for it was never sent.
    outgoing.on('socket', () => {
      if (finished) return;
      clearTimeout(timer);
      timer = setTimeout(() => finish({ error: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
      outgoing.end(message.body);
    });
  });
}
