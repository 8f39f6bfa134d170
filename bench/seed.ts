/**
 * Bench data written straight in SQL (not through POST /events, which will need an organiser key),
 * the same way for MariaDB and SQLite.
 */
import Database from 'better-sqlite3';
import { execSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { generateReference } from '../src/common/reference.js';
import { createConnection, type Connection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { searchTerms, venueGrams, venueKey } from '../src/common/search-terms.js';

export interface CategorySeed {
  name: string;
  price: number;
  seatsLimit: number;
}

export interface SeededEvent {
  id: number;
  date: Date;
}

/**
 * The words of searchable events: a genre in 1 of 20, a city in 1 of 100, a mood in 1 of 50,
 * so one word finds 1–5 % of them, and a genre with a city 1 in 2,000.
 */
export const SEARCH_GENRES = ['jazz', 'rock', 'opera', 'techno', 'folk', 'blues', 'soul', 'punk', 'metal', 'salsa', 'tango', 'ballet', 'comedy', 'poetry', 'gospel', 'reggae', 'swing', 'choir', 'cinema', 'circus'];
export const SEARCH_CITIES = Array.from({ length: 100 }, (_, i) => `City${String(i).padStart(2, '0')}`);
const MOODS = Array.from({ length: 50 }, (_, i) => `mood${i}`);

/** The name, venue and details of the n-th searchable event. */
export function searchableEvent(n: number): { name: string; venue: string; details: string } {
  const genre = SEARCH_GENRES[n % SEARCH_GENRES.length];
  const city = SEARCH_CITIES[Math.floor(n / 7) % SEARCH_CITIES.length];
  const mood = MOODS[Math.floor(n / 3) % MOODS.length];
  return { name: `${mood} ${genre} night ${n}`, venue: `${city} Concert Hall`, details: `An evening of ${genre} in ${city}, seeded for the search benchmark.` };
}

export interface BenchDatabase {
  /** Inserts events (each with the given categories) in bulk; returns them in insertion order. */
  insertEvents(count: number, categories: CategorySeed[], firstDate: Date): Promise<SeededEvent[]>;
  /** The same with searchableEvent()'s words, indexed as the app indexes an event it creates. */
  insertSearchableEvents(count: number, categories: CategorySeed[], firstDate: Date): Promise<SeededEvent[]>;
  /** The (date, id) of the upcoming event at this position in the app's list order. */
  eventAt(offset: number): Promise<SeededEvent>;
  categoryState(eventId: number): Promise<{ seatsLimit: number; seatsSold: number; seatsHeld: number; booked: number; bookings: number; tickets: number }>;
  /** The id of the event's first category. */
  categoryIdOf(eventId: number): Promise<number>;
  /** `count` valid tickets of the event's first category (one booking holds them all) and a scanner key for the event. */
  ticketsToScan(eventId: number, count: number): Promise<{ codes: string[]; scannerKey: string }>;
  /** How many of the event's tickets are checked in. */
  checkedIn(eventId: number): Promise<number>;
  /**
   * Waits until a bulk seed is on disk (MariaDB done flushing dirty pages, SQLite's log
   * checkpointed, then the kernel's writeback), so the first scenario after it is not measured
   * against the flush.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const BATCH = 500;
/** The venue of every event but the searchable ones, with its key and pieces worked out once. */
const BENCH_VENUE = 'Bench Hall';
const BENCH_VENUE_KEY = venueKey(BENCH_VENUE);
const BENCH_VENUE_GRAMS = venueGrams(BENCH_VENUE_KEY);
const SETTLE_TIMEOUT_MS = 60_000;

export async function openMysql(serverUrl: string, database: string): Promise<BenchDatabase> {
  const url = new URL(serverUrl);
  const connection: Connection = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database,
    timezone: 'Z',
  });
  return {
    async insertEvents(count, categories, firstDate) {
      const events: SeededEvent[] = [];
      for (let start = 0; start < count; start += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => {
          const date = new Date(firstDate.getTime() + (start + i) * 60_000);
          return [`Bench event ${start + i}`, BENCH_VENUE, 'Seeded for the benchmark.', date, new Date(), BENCH_VENUE_KEY];
        });
        const [result] = await connection.query<ResultSetHeader>('INSERT INTO events (name, venue, details, date, created_at, venue_key) VALUES ?', [rows]);
        // A simple multi-row INSERT gets consecutive ids (innodb_autoinc_lock_mode 0/1; the bench runs alone on its database).
        rows.forEach((row, i) => events.push({ id: result.insertId + i, date: row[3] as Date }));
        await connection.query('INSERT INTO event_venue_grams (event_id, gram, date) VALUES ?', [events.slice(start).flatMap(({ id, date }) => BENCH_VENUE_GRAMS.map((gram) => [id, gram, date]))]);
        const categoryRows = events
          .slice(start)
          .flatMap((event) => categories.map((c) => [event.id, c.name, c.name.toLowerCase(), c.price, c.seatsLimit, 0, 0, null]));
        await connection.query(
          'INSERT INTO ticket_categories (event_id, name, name_key, price, seats_limit, seats_sold, seats_held, max_per_booking) VALUES ?',
          [categoryRows],
        );
      }
      return events;
    },
    async insertSearchableEvents(count, categories, firstDate) {
      const events: SeededEvent[] = [];
      for (let start = 0; start < count; start += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => {
          const { name, venue, details } = searchableEvent(start + i);
          return [name, venue, details, new Date(firstDate.getTime() + (start + i) * 60_000), new Date(), venueKey(venue)];
        });
        const [result] = await connection.query<ResultSetHeader>('INSERT INTO events (name, venue, details, date, created_at, venue_key) VALUES ?', [rows]);
        const batch = rows.map((row, i) => ({ id: result.insertId + i, date: row[3] as Date, row }));
        events.push(...batch.map(({ id, date }) => ({ id, date })));
        const categoryRows = batch.flatMap(({ id }) => categories.map((c) => [id, c.name, c.name.toLowerCase(), c.price, c.seatsLimit, 0, 0, null]));
        await connection.query('INSERT INTO ticket_categories (event_id, name, name_key, price, seats_limit, seats_sold, seats_held, max_per_booking) VALUES ?', [categoryRows]);
        const termRows = batch.flatMap(({ id, date, row }) => searchTerms(row[0] as string, row[1] as string, row[2] as string).map((term) => [id, term, date]));
        await connection.query('INSERT INTO event_search_terms (event_id, term, date) VALUES ?', [termRows]);
        const gramRows = batch.flatMap(({ id, date, row }) => venueGrams(row[5] as string).map((gram) => [id, gram, date]));
        await connection.query('INSERT INTO event_venue_grams (event_id, gram, date) VALUES ?', [gramRows]);
      }
      return events;
    },
    async eventAt(offset) {
      const [[row]] = await connection.query<RowDataPacket[]>('SELECT id, date FROM events WHERE date > ? ORDER BY date, id LIMIT 1 OFFSET ?', [new Date(), offset]);
      return { id: row.id as number, date: row.date as Date };
    },
    async categoryState(eventId) {
      const [[row]] = await connection.query<RowDataPacket[]>(CATEGORY_STATE_SQL, [eventId]);
      return numbers(row);
    },
    async categoryIdOf(eventId) {
      const [[row]] = await connection.query<RowDataPacket[]>(FIRST_CATEGORY_SQL, [eventId]);
      return Number(row.id);
    },
    async ticketsToScan(eventId, count) {
      const [[category]] = await connection.query<RowDataPacket[]>(FIRST_CATEGORY_SQL, [eventId]);
      const categoryId = Number(category.id);
      const seed = scanSeed(eventId, categoryId, count);
      await connection.query('INSERT INTO bookings (reference, status, event_id, ticket_category_id, quantity, unit_price, total_price, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?)', [seed.reference, 'confirmed', eventId, categoryId, count, new Date()]);
      for (let start = 0; start < count; start += BATCH) {
        await connection.query('INSERT INTO tickets (code, reference, event_id, ticket_category_id, status, created_at) VALUES ?', [seed.tickets.slice(start, start + BATCH).map((ticket) => [...ticket, new Date()])]);
      }
      await connection.query('INSERT INTO scanner_keys (event_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)', [eventId, seed.keyHash, seed.scannerKey.slice(0, 11), new Date()]);
      return { codes: seed.codes, scannerKey: seed.scannerKey };
    },
    async checkedIn(eventId) {
      const [[row]] = await connection.query<RowDataPacket[]>(CHECKED_IN_SQL, [eventId]);
      return Number(row.n);
    },
    async settle() {
      // An idle MariaDB leaves some pages dirty for good: settled is when flushing stops gaining.
      let before = Infinity;
      for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 500))) {
        const [[row]] = await connection.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'");
        const dirty = Number(row.Value);
        if (dirty >= before) break;
        before = dirty;
      }
      execSync('sync');
    },
    close: () => connection.end(),
  };
}

/** A category's counters next to what its sold lines and valid tickets say they should be (the first category of the event). */
const CATEGORY_STATE_SQL = `SELECT c.seats_limit AS seatsLimit, c.seats_sold AS seatsSold, c.seats_held AS seatsHeld,
        (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.ticket_category_id = c.id AND l.state = 'sold') AS booked,
        (SELECT COUNT(*) FROM order_lines l WHERE l.ticket_category_id = c.id) AS bookings,
        (SELECT COUNT(*) FROM tickets t WHERE t.ticket_category_id = c.id AND t.status = 'valid') AS tickets
   FROM ticket_categories c WHERE c.event_id = ? ORDER BY c.id LIMIT 1`;

const FIRST_CATEGORY_SQL = 'SELECT MIN(id) AS id FROM ticket_categories WHERE event_id = ?';
const CHECKED_IN_SQL = 'SELECT COUNT(*) AS n FROM tickets WHERE event_id = ? AND checked_in_at IS NOT NULL';

/** Tickets to scan and the scanner key that may scan them, made as the app makes them. */
function scanSeed(eventId: number, categoryId: number, count: number) {
  const reference = generateReference();
  const codes = Array.from({ length: count }, () => randomBytes(16).toString('base64url'));
  const scannerKey = `sk_${randomBytes(32).toString('base64url')}`;
  return {
    reference,
    codes,
    scannerKey,
    keyHash: createHash('sha256').update(scannerKey).digest('hex'),
    tickets: codes.map((code) => [code, reference, eventId, categoryId, 'valid'] as unknown[]),
  };
}

function numbers(row: Record<string, unknown>) {
  return {
    seatsLimit: Number(row.seatsLimit),
    seatsSold: Number(row.seatsSold),
    seatsHeld: Number(row.seatsHeld),
    booked: Number(row.booked),
    bookings: Number(row.bookings),
    tickets: Number(row.tickets),
  };
}

/** TypeORM's better-sqlite3 driver stores datetimes as UTC 'YYYY-MM-DD HH:MM:SS.mmm'. */
function sqliteDate(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function openSqlite(path: string): BenchDatabase {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  const insertEventRow = db.prepare('INSERT INTO events (name, venue, details, date, created_at, venue_key) VALUES (?, ?, ?, ?, ?, ?)');
  const insertGram = db.prepare('INSERT INTO event_venue_grams (event_id, gram, date) VALUES (?, ?, ?)');
  /** The event, its venue indexed as the app indexes it; answers its id. */
  const insertEvent = (name: string, venue: string, details: string, date: string, createdAt: string): number => {
    const key = venueKey(venue);
    const id = Number(insertEventRow.run(name, venue, details, date, createdAt, key).lastInsertRowid);
    for (const gram of venueGrams(key)) insertGram.run(id, gram, date);
    return id;
  };
  const insertCategory = db.prepare(
    'INSERT INTO ticket_categories (event_id, name, name_key, price, seats_limit, seats_sold, seats_held, max_per_booking) VALUES (?, ?, ?, ?, ?, 0, 0, NULL)',
  );
  const insertTerm = db.prepare('INSERT INTO event_search_terms (event_id, term, date) VALUES (?, ?, ?)');
  return {
    insertEvents(count, categories, firstDate) {
      const insertAll = db.transaction(() => {
        const events: SeededEvent[] = [];
        for (let i = 0; i < count; i++) {
          const date = new Date(firstDate.getTime() + i * 60_000);
          const id = insertEvent(`Bench event ${i}`, BENCH_VENUE, 'Seeded for the benchmark.', sqliteDate(date), sqliteDate(new Date()));
          for (const c of categories) insertCategory.run(id, c.name, c.name.toLowerCase(), c.price, c.seatsLimit);
          events.push({ id, date });
        }
        return events;
      });
      return Promise.resolve(insertAll());
    },
    insertSearchableEvents(count, categories, firstDate) {
      const insertAll = db.transaction(() => {
        const events: SeededEvent[] = [];
        for (let i = 0; i < count; i++) {
          const date = new Date(firstDate.getTime() + i * 60_000);
          const { name, venue, details } = searchableEvent(i);
          const id = insertEvent(name, venue, details, sqliteDate(date), sqliteDate(new Date()));
          for (const c of categories) insertCategory.run(id, c.name, c.name.toLowerCase(), c.price, c.seatsLimit);
          for (const term of searchTerms(name, venue, details)) insertTerm.run(id, term, sqliteDate(date));
          events.push({ id, date });
        }
        return events;
      });
      return Promise.resolve(insertAll());
    },
    eventAt(offset) {
      const row = db.prepare('SELECT id, date FROM events WHERE date > ? ORDER BY date, id LIMIT 1 OFFSET ?').get(sqliteDate(new Date()), offset) as {
        id: number;
        date: string;
      };
      return Promise.resolve({ id: row.id, date: new Date(`${row.date.replace(' ', 'T')}Z`) });
    },
    categoryState(eventId) {
      return Promise.resolve(numbers(db.prepare(CATEGORY_STATE_SQL).get(eventId) as Record<string, unknown>));
    },
    categoryIdOf(eventId) {
      return Promise.resolve(Number((db.prepare(FIRST_CATEGORY_SQL).get(eventId) as { id: number }).id));
    },
    ticketsToScan(eventId, count) {
      const categoryId = Number((db.prepare(FIRST_CATEGORY_SQL).get(eventId) as { id: number }).id);
      const seed = scanSeed(eventId, categoryId, count);
      const insertTicket = db.prepare('INSERT INTO tickets (code, reference, event_id, ticket_category_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)');
      db.transaction(() => {
        db.prepare('INSERT INTO bookings (reference, status, event_id, ticket_category_id, quantity, unit_price, total_price, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?)').run(seed.reference, 'confirmed', eventId, categoryId, count, sqliteDate(new Date()));
        for (const ticket of seed.tickets) insertTicket.run(...ticket, sqliteDate(new Date()));
        db.prepare('INSERT INTO scanner_keys (event_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)').run(eventId, seed.keyHash, seed.scannerKey.slice(0, 11), sqliteDate(new Date()));
      })();
      return Promise.resolve({ codes: seed.codes, scannerKey: seed.scannerKey });
    },
    checkedIn(eventId) {
      return Promise.resolve(Number((db.prepare(CHECKED_IN_SQL).get(eventId) as { n: number }).n));
    },
    settle() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      execSync('sync');
      return Promise.resolve();
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}
