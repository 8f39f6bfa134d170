import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { ApiEdgeErrorsOnly } from '../openapi/api-decorators.js';
import { HealthReport } from './health-report.js';

const DATABASE_PING_TIMEOUT_MS = 1000;

/** What terminus's @HealthCheck() sends with every report, so that no cache answers a probe. */
const NO_STORE = {
  'Cache-Control': { required: true, description: 'Probes are never cached.', schema: { type: 'string', enum: ['no-cache, no-store, must-revalidate'] } },
};

/**
 * Terminus documents these responses itself only where it can `require` @nestjs/swagger, which
 * an ES module cannot, so they are declared here.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ type: HealthReport, description: 'Alive.', headers: NO_STORE })
  @ApiServiceUnavailableResponse({ type: HealthReport, description: 'Shutting down.', headers: NO_STORE })
  @ApiEdgeErrorsOnly()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database answers within a second' })
  @ApiOkResponse({ type: HealthReport, description: 'Ready to serve.', headers: NO_STORE })
  @ApiServiceUnavailableResponse({ type: HealthReport, description: 'The database does not answer: send no traffic here.', headers: NO_STORE })
  @ApiEdgeErrorsOnly()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS })]);
    } catch (error) {
      // Orchestrators read terminus's report of each check, so a failed probe answers it as it is
      // rather than in the error shape of the API.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
