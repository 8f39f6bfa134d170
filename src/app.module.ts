import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { BookingsModule } from './bookings/bookings.module.js';
import { CheckInModule } from './check-in/check-in.module.js';
import { CodesModule } from './codes/codes.module.js';
import { validateEnvironment } from './config/environment.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpModule } from './http/http.module.js';
import { ShutdownDeadline } from './lifecycle/shutdown-deadline.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OrganizersModule } from './organizers/organizers.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { TicketsModule } from './tickets/tickets.module.js';
import { TraceFlush } from './tracing/trace-flush.js';
import { WaitlistModule } from './waitlist/waitlist.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateEnvironment }),
    LoggingModule,
    MetricsModule,
    HttpModule,
    DatabaseModule,
    OrganizersModule,
    RateLimitModule,
    HealthModule,
    EventsModule,
    CodesModule,
    BookingsModule,
    TicketsModule,
    CheckInModule,
    WaitlistModule,
    WebhooksModule,
  ],
  providers: [ShutdownDeadline, TraceFlush],
})
export class AppModule {}
