import type { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';

/**
 * The class a handler's @Body() parameter is declared with, for what runs before the validation
 * pipe and must agree with it (the idempotency fingerprint's walk of the body). Read from the
 * metadata Nest itself routes parameters by.
 */
export function bodyTypeOf(context: ExecutionContext): unknown {
  const controller = context.getClass();
  const method = context.getHandler().name;
  const parameters = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number }>;
  const body = Object.entries(parameters).find(([key]) => key.startsWith(`${RouteParamtypes.BODY}:`));
  if (!body) return undefined;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) ?? []) as unknown[];
  return types[body[1].index];
}
