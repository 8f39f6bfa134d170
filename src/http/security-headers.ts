import type { SecurityHeadersOptions } from '@nestjs/common';
import { resolveSecurityHeaders } from '@nestjs/core/security/security-headers.js';

/** Helmet's defaults, except that plain-HTTP deployments must still load Swagger UI's assets. */
export const SECURITY_HEADERS_OPTIONS: SecurityHeadersOptions = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

/**
 * The headers app.useSecurityHeaders() sets from the same options, resolved by Nest's own function,
 * for the answers written before its request hook can run (see protocol-errors.ts).
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = resolveSecurityHeaders(SECURITY_HEADERS_OPTIONS).headers;
