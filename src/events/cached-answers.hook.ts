import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { answerBeforeHandlers } from '../http/http-adapter.js';
import { sendRepresentation } from '../http/representation.js';
import { EventReadCache } from './event-read-cache.js';

/**
 * With the read cache on, a request for an answer it holds fresh is answered before Nest runs (a
 * 304 too, without a body): the answer is looked up by the URL as sent, under which only the
 * handler, after validating the request, stores it. Anything else goes on to the handler.
 */
@Injectable()
export class CachedAnswersHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly cache: EventReadCache,
  ) {}

  onModuleInit(): void {
    if (!this.cache.enabled) return;
    answerBeforeHandlers(this.adapterHost, ['/events', '/events/:id'], (request, reply) => {
      // An organiser key must be checked, and its owner sees its hidden categories: the handler answers.
      if (request.headers.authorization !== undefined) return false;
      const held = this.cache.peek(request.url);
      if (!held) return false;
      sendRepresentation(reply, held, request.headers['if-none-match'], this.cache.cacheControl);
      return true;
    });
  }
}
