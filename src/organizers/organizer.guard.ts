import { applyDecorators, type CanActivate, createParamDecorator, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { ApiErrors } from '../openapi/api-decorators.js';
import { ApiKeyStore } from './api-key-store.js';

type AuthenticatedRequest = FastifyRequest & { organizerId?: number };

/** RFC 6750's b64token. */
const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** The key of a well-formed `Authorization: Bearer <key>` header, or undefined. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  return BEARER.exec(request.headers.authorization ?? '')?.[1];
}

/** Lets a request through only with a live organiser API key; the organiser is then known to the handler. */
@Injectable()
export class OrganizerGuard implements CanActivate {
  constructor(private readonly keys: ApiKeyStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await authenticate(context.switchToHttp().getRequest<AuthenticatedRequest>(), this.keys);
    return true;
  }
}

/**
 * For public reads that show an event's owner more (hidden categories): a request without an
 * Authorization header passes untouched, so anonymous reads cost no lookup; one with a header has
 * its key checked as on any organiser endpoint (401 when it is not live), so a revoked key never
 * quietly reads as anonymous.
 */
@Injectable()
export class OptionalOrganizerGuard implements CanActivate {
  constructor(private readonly keys: ApiKeyStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.headers.authorization !== undefined) await authenticate(request, this.keys);
    return true;
  }
}

async function authenticate(request: AuthenticatedRequest, keys: ApiKeyStore): Promise<void> {
  const key = bearerTokenOf(request);
  if (key === undefined) throw new UnauthorizedError('Send an organiser API key as "Authorization: Bearer <key>".', false);
  const organizerId = await keys.authenticate(key);
  if (organizerId === undefined) {
    throw new UnauthorizedError('The API key is not valid (unknown or revoked).', true);
  }
  request.organizerId = organizerId;
}

/** The id of the organiser whose key OrganizerGuard accepted. */
export const CurrentOrganizer = createParamDecorator((_data: unknown, context: ExecutionContext): number => {
  const { organizerId } = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (organizerId === undefined) throw new Error('CurrentOrganizer used on a route without OrganizerGuard');
  return organizerId;
});

/** The organiser whose key OptionalOrganizerGuard accepted, or undefined for a request without a key. */
export const ViewingOrganizer = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().organizerId;
});

/** A public route that an organiser key may accompany: documented as open to anyone, or with the bearer scheme, and the guard's 401. */
export function OrganizerOptional(): MethodDecorator {
  return applyDecorators(UseGuards(OptionalOrganizerGuard), ApiSecurity({}), ApiBearerAuth(), ApiErrors(ErrorCode.Unauthorized));
}

/** The route takes an organiser API key: guarded, and documented with the bearer scheme and the guard's 401. */
export function OrganizerOnly(): MethodDecorator {
  return applyDecorators(UseGuards(OrganizerGuard), ApiBearerAuth(), ApiErrors(ErrorCode.Unauthorized));
}
