import type { IncomingMessage } from 'node:http';
import { requestIdFor } from './request-id.js';

function withHeader(value: string | string[] | undefined): IncomingMessage {
  return { headers: { 'x-request-id': value } } as unknown as IncomingMessage;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it.each(['abc-123', '0190f3c2-7a1b-7c3d-9e4f-0123456789ab', '01HZX3K8Q9R2T5V7W0Y4Z6B8D1', 'trace.span:42_x'])('keeps the sane id %j', (id) => {
    expect(requestIdFor(withHeader(id))).toBe(id);
  });

  it.each([undefined, '', 'has space', 'new\nline', '-leading-dash', 'x'.repeat(129), ['a', 'b']])('replaces %j with a fresh UUID', (id) => {
    expect(requestIdFor(withHeader(id))).toMatch(UUID);
  });
});
