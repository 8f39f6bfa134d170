import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './src/config/environment.js';
import { dataSourceOptions } from './src/database/data-source-options.js';
import { Booking } from './src/inventory/booking.entity.js';
import { Hold } from './src/inventory/hold.entity.js';
import { OrderLine } from './src/inventory/order-line.entity.js';
import { Ticket } from './src/inventory/ticket.entity.js';
import { Event } from './src/events/event.entity.js';
import { EventSearchTerm } from './src/events/event-search-term.entity.js';
import { EventVenueGram } from './src/events/event-venue-gram.entity.js';
import { EventCode } from './src/inventory/event-code.entity.js';
import { TicketCategory } from './src/inventory/ticket-category.entity.js';
import { ScannerKey } from './src/check-in/scanner-key.entity.js';
import { IdempotencyKey } from './src/idempotency/idempotency-key.entity.js';
import { ApiKey } from './src/organizers/api-key.entity.js';
import { Organizer } from './src/organizers/organizer.entity.js';

/**
 * The DataSource the TypeORM CLI uses (migration:run, migration:generate, …); same settings as the
 * app. The app's modules register their own entities; migration:generate diffs against all of them.
 */
const environment = validateEnvironment(process.env);

export default new DataSource(
  dataSourceOptions({
    url: environment.DATABASE_URL,
    poolSize: environment.DATABASE_POOL_SIZE,
    entities: [Event, EventSearchTerm, EventVenueGram, TicketCategory, EventCode, Booking, Hold, OrderLine, Ticket, ScannerKey, IdempotencyKey, Organizer, ApiKey],
  }),
);
