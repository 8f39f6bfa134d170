import { Injectable, type ArgumentMetadata, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { answerBeforeHandlers } from '../http/http-adapter.js';
import { parsedId } from '../http/parse-id.pipe.js';
import { sendRepresentation, type Representation } from '../http/representation.js';
import { StrictValidationPipe } from '../http/strict-validation.pipe.js';
import { SearchEventsQuery } from './dto/search-events.query.js';
import { EventReadCache } from './event-read-cache.js';
import { EventReads } from './event-reads.js';

const PAGE_ROUTE = '/events';
const EVENT_ROUTE = '/events/:id';
/** The page's query as its handler's @Query() declares it, for the validation that handler gets. */
const PAGE_QUERY: ArgumentMetadata = { type: 'query', metatype: SearchEventsQuery };

/**
 * Anonymous public reads are answered before Nest runs: routing, guards, pipes and the handler cost
 * such a read more than sending it, and it needs none of them but the validation, done here as the
 * handler gets it. A fresh answer the read cache holds (found by the URL as sent, under which it is
 * stored only after its request was validated) is sent without it, a 304 too. Anything with an
 * organiser's key goes on to its handler (the key is checked there, and its owner sees its hidden
 * categories), and so does an id ParseIdPipe would refuse.
 */
@Injectable()
export class PublicReadsHook implements OnModuleInit {
  private readonly validation = new StrictValidationPipe();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly cache: EventReadCache,
    private readonly reads: EventReads,
  ) {}

  onModuleInit(): void {
    answerBeforeHandlers(this.adapterHost, [PAGE_ROUTE, EVENT_ROUTE], (request, reply) => {
      if (request.headers.authorization !== undefined) return false;
      const send = (representation: Representation): void => sendRepresentation(reply, representation, request.headers['if-none-match'], this.cache.cacheControl);
      const held = this.cache.peek(request.url);
      if (held) {
        send(held);
        return true;
      }
      return this.read(request)?.then(send) ?? false;
    });
  }

  private read(request: FastifyRequest): Promise<Representation> | undefined {
    if (request.routeOptions.url === EVENT_ROUTE) {
      const id = parsedId((request.params as { id?: string }).id);
      return id === undefined ? undefined : this.reads.event(request.url, id, undefined);
    }
    return this.validation.transform(request.query, PAGE_QUERY).then((query) => this.reads.page(request.url, query as SearchEventsQuery, undefined));
  }
}
