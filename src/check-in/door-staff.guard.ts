import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { EventNotFoundError, UnauthorizedError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { ApiErrors } from '../openapi/api-decorators.js';
import { EventsService } from '../events/events.service.js';
import { parsedId } from '../http/parse-id.pipe.js';
import { ApiKeyStore } from '../organizers/api-key-store.js';
import { bearerTokenOf } from '../organizers/organizer.guard.js';
import { ScannerKeysService } from './scanner-keys.service.js';

const SCANNER_KEY_KIND = 'sk_';

/**
 * Lets a request through with a live scanner key of the event in the path, or its owner's
 * organiser key. A key of another event, or another organiser's key, is answered as a stranger
 * would be: 404, as if the event did not exist. A malformed id is left to the path's pipe (400).
 */
@Injectable()
export class DoorStaffGuard implements CanActivate {
  constructor(
    private readonly scannerKeys: ScannerKeysService,
    private readonly organizerKeys: ApiKeyStore,
    private readonly events: EventsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { id?: string } }>>();
    const key = bearerTokenOf(request);
    if (key === undefined) throw new UnauthorizedError('Send a scanner key of this event, or its organiser key, as "Authorization: Bearer <key>".', false);
    const eventId = parsedId(request.params.id);
    if (key.startsWith(SCANNER_KEY_KIND)) {
      const admitsAt = await this.scannerKeys.eventOf(key);
      if (admitsAt === undefined) throw new UnauthorizedError('The scanner key is not valid (unknown or revoked).', true);
      if (eventId !== undefined && admitsAt !== eventId) throw new EventNotFoundError(eventId);
      return true;
    }
    const organizerId = await this.organizerKeys.authenticate(key);
    if (organizerId === undefined) throw new UnauthorizedError('The API key is not valid (unknown or revoked).', true);
    if (eventId !== undefined) await this.events.findOwned(eventId, organizerId);
    return true;
  }
}

/** The route is for the door: a scanner key of the event, or its organiser's key. */
export function DoorStaffOnly(): MethodDecorator {
  return applyDecorators(UseGuards(DoorStaffGuard), ApiBearerAuth(), ApiErrors(ErrorCode.Unauthorized, ErrorCode.EventNotFound));
}
