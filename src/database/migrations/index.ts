import { CreateEventsAndBookings1764403200000 } from './1764403200000-create-events-and-bookings.js';
import { BookingLifecycle1764489600000 } from './1764489600000-booking-lifecycle.js';
import { Organizers1764576000000 } from './1764576000000-organizers.js';
import { ListEventsByDateIndex1764662400000 } from './1764662400000-list-events-by-date-index.js';
import { IdempotencyKeysByteExact1764835200000 } from './1764835200000-idempotency-keys-byte-exact.js';
import { NormaliseCategoryNames1764921600000 } from './1764921600000-normalise-category-names.js';
import { OrdersAndTickets1765008000000 } from './1765008000000-orders-and-tickets.js';
import { ScannerKeys1765094400000 } from './1765094400000-scanner-keys.js';
import { OrganiserConfig1765180800000 } from './1765180800000-organiser-config.js';
import { Outbox1765267200000 } from './1765267200000-outbox.js';
import { Webhooks1765353600000 } from './1765353600000-webhooks.js';
import { Waitlist1765440000000 } from './1765440000000-waitlist.js';
import { VenueGrams1765526400000 } from './1765526400000-venue-grams.js';

/** Listed explicitly (not globbed) so the same list works from src/ under tests and from dist/. */
export const migrations = [
  CreateEventsAndBookings1764403200000,
  BookingLifecycle1764489600000,
  Organizers1764576000000,
  ListEventsByDateIndex1764662400000,
  IdempotencyKeysByteExact1764835200000,
  NormaliseCategoryNames1764921600000,
  OrdersAndTickets1765008000000,
  ScannerKeys1765094400000,
  OrganiserConfig1765180800000,
  Outbox1765267200000,
  Webhooks1765353600000,
  Waitlist1765440000000,
  VenueGrams1765526400000,
];
