import '../lifecycle/supported-runtime.js';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { EventsService } from '../events/events.service.js';
import { ApiKeyStore } from '../organizers/api-key-store.js';
import { BOOTSTRAP_ORGANIZER } from '../organizers/organizers.module.js';
import { demoEvents } from './demo-events.js';

/**
 * `npm run seed`: fills the database named by DATABASE_URL (migrated first, as at start-up) with
 * demo events, through the same service the API uses, and says what it created.
 */
async function seed(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    const events = app.get(EventsService);
    // Owned by the organiser ORGANIZER_API_KEY belongs to, so that key can manage the demo events.
    const organizerId = await app.get(ApiKeyStore).ensureOrganizer(BOOTSTRAP_ORGANIZER);
    const now = new Date();
    const created = [];
    for (const dto of demoEvents(now)) created.push(await events.create(dto, organizerId));
    for (const event of created) {
      const seats = event.ticketCategories.reduce((sum, category) => sum + category.seatsLimit - category.seatsSold, 0);
      const when = event.date < now ? 'past' : 'upcoming';
      console.log(`#${event.id}  ${event.date.toISOString().slice(0, 16)}Z  ${when.padEnd(8)}  ${event.name} @ ${event.venue}  (${event.ticketCategories.length} categories, ${seats} seats left)`);
    }
    const upcoming = created.filter((event) => event.date >= now).length;
    console.log(`Seeded ${created.length} events (${upcoming} upcoming, ${created.length - upcoming} past).`);
  } finally {
    await app.close();
  }
}

seed().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
