import { hash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * A JSON answer as it is sent: its text (or its bytes, once encoded to be sent many times), a
 * strong entity tag made from them, and its Link header if any.
 */
export interface Representation {
  readonly body: string | Buffer;
  readonly etag: string;
  readonly link?: string;
}

/**
 * Two answers with the same bytes share a tag, whoever computed them and when. The text is sent
 * as it is: Node writes it with the headers in one piece, where bytes take a copy and a second
 * piece of the write.
 */
export function jsonRepresentation(value: unknown, link?: string): Representation {
  const body = JSON.stringify(value);
  return { body, etag: `"${hash('sha1', body, 'base64url')}"`, link };
}

/**
 * Whether If-None-Match names this tag. RFC 9110 §13.1.2 has If-None-Match compare weakly (a
 * `W/` tag matches its strong twin) and `*` match any current representation.
 */
export function matchesIfNoneMatch(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch === etag) return true;
  return [ifNoneMatch]
    .flat()
    .flatMap((header) => header.split(','))
    .some((listed) => {
      const tag = listed.trim();
      return tag === '*' || tag === etag || tag === `W/${etag}`;
    });
}

/**
 * Sends the representation with its ETag and Cache-Control, or 304 Not Modified without a body
 * when the client already holds it (the same headers, as RFC 9110 §15.4.5 asks).
 */
export function sendRepresentation(reply: FastifyReply, representation: Representation, ifNoneMatch: string | string[] | undefined, cacheControl: string): void {
  void reply.header('ETag', representation.etag).header('Cache-Control', cacheControl);
  // An organiser's key changes the answer (its hidden categories), so caches must tell the views apart.
  const vary = reply.getHeader('Vary');
  void reply.header('Vary', vary === undefined ? 'Authorization' : `${String(vary)}, Authorization`);
  if (representation.link !== undefined) void reply.header('Link', representation.link);
  if (matchesIfNoneMatch(ifNoneMatch, representation.etag)) {
    void reply.code(304).send();
    return;
  }
  void reply.type('application/json; charset=utf-8').send(representation.body);
}
