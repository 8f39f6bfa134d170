import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { HttpMetricsHook } from './http-metrics.hook.js';
import { RequestLogHook } from './request-log.hook.js';
import { StrictValidationPipe } from './strict-validation.pipe.js';

/**
 * The HTTP edge, registered as providers so the app and the tests are wired alike: the one
 * validation pipe, the one exception filter, and the per-request hooks for logs and metrics.
 */
@Module({
  providers: [
    { provide: APP_PIPE, useClass: StrictValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    RequestLogHook,
    HttpMetricsHook,
  ],
})
export class HttpModule {}
