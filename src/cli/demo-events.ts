import type { CreateEventDto } from '../events/dto/create-event.dto.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Kind {
  titles: string[];
  venues: string[];
  categories: { name: string; price: number; seats_limit: number }[];
}

/** Each kind of event sells its own kinds of ticket, at its own prices. */
const KINDS: Record<string, Kind> = {
  concert: {
    titles: ['Midnight Orchestra', 'The Paper Lanterns', 'Northern Lights Tour', 'Jazz at the Docks', 'Brass & Bass'],
    venues: ['Stadium A', 'Riverside Arena', 'Old Harbour Hall'],
    categories: [
      { name: 'General', price: 45, seats_limit: 800 },
      { name: 'Front Standing', price: 79.5, seats_limit: 200 },
      { name: 'VIP', price: 180, seats_limit: 40 },
    ],
  },
  theatre: {
    titles: ['Hamlet', 'The Glass Menagerie', 'A Doll’s House', 'Waiting for Godot', 'Twelfth Night'],
    venues: ['Royal Playhouse', 'Studio Theatre'],
    categories: [
      { name: 'Stalls', price: 62, seats_limit: 300 },
      { name: 'Circle', price: 48, seats_limit: 180 },
      { name: 'Balcony', price: 25, seats_limit: 120 },
    ],
  },
  conference: {
    titles: ['NodeConf Europe', 'Data Days', 'Platform Engineering Summit', 'Accessible Web Forum'],
    venues: ['Congress Centre', 'Tech Campus Auditorium'],
    categories: [
      { name: 'Standard', price: 399, seats_limit: 500 },
      { name: 'Early Bird', price: 299, seats_limit: 150 },
      { name: 'Workshop Day', price: 149.99, seats_limit: 60 },
    ],
  },
  sport: {
    titles: ['City Derby', 'Cup Quarter-Final', 'Basketball All-Stars', 'Open Tennis Finals'],
    venues: ['Municipal Stadium', 'Sports Palace'],
    categories: [
      { name: 'Stand', price: 35, seats_limit: 2000 },
      { name: 'Family (2+2)', price: 90, seats_limit: 100 },
      { name: 'Hospitality', price: 250, seats_limit: 30 },
    ],
  },
  comedy: {
    titles: ['Late Laughs', 'Improv Night', 'Stand-up Showcase'],
    venues: ['The Cellar Club'],
    categories: [{ name: 'Seat', price: 18, seats_limit: 90 }],
  },
};

/**
 * About three dozen events: every kind, spread over the coming months at varied hours, a few
 * nearly or fully sold out, and a few already past (listed by id, not among upcoming events).
 * The list is the same on every run, relative to `now`.
 */
export function demoEvents(now: Date): CreateEventDto[] {
  const events: CreateEventDto[] = [];
  const named = new Set<string>();
  const kinds = Object.entries(KINDS);
  for (let index = 0; index < 36; index++) {
    const [kind, { titles, venues, categories }] = kinds[index % kinds.length];
    const title = titles[Math.floor(index / kinds.length) % titles.length];
    const daysAhead = index < 4 ? -(index + 1) * 9 : (index - 3) * 5;
    const date = new Date(now.getTime() + daysAhead * DAY_MS);
    date.setUTCHours(17 + (index % 4), index % 2 === 0 ? 0 : 30, 0, 0);
    const fill = index % 7 === 0 ? 1 : index % 5 === 0 ? 0.9 : (index % 3) * 0.2;
    const name = named.has(title) ? `${title} (extra date)` : title;
    named.add(title);
    events.push({
      name,
      venue: venues[index % venues.length],
      date: date.toISOString(),
      details: `A ${kind} event at ${venues[index % venues.length]}.`,
      ticket_categories: categories.map((category) => ({ ...category, seats_sold: Math.floor(category.seats_limit * fill) })),
    });
  }
  return events;
}
