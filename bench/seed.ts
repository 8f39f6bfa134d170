/**
 * Bench data written straight in SQL (not through POST /events, which will need an organiser key),
 * the same way for MariaDB and SQLite.
 */
import Database from 'better-sqlite3';
import { createConnection, type Connection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';

export interface CategorySeed {
  name: string;
  price: number;
  seatsLimit: number;
}

export interface SeededEvent {
  id: number;
  date: Date;
}

export interface BenchDatabase {
  /** Inserts events (each with the given categories) in bulk; returns them in insertion order. */
  insertEvents(count: number, categories: CategorySeed[], firstDate: Date): Promise<SeededEvent[]>;
  /** The (date, id) of the upcoming event at this position in the app's list order. */
  eventAt(offset: number): Promise<SeededEvent>;
  categoryState(eventId: number): Promise<{ seatsLimit: number; seatsSold: number; seatsHeld: number; booked: number; bookings: number }>;
  /** The id of the event's first category. */
  categoryIdOf(eventId: number): Promise<number>;
  close(): Promise<void>;
}

const BATCH = 500;

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
          return [`Bench event ${start + i}`, 'Bench Hall', 'Seeded for the benchmark.', date, new Date()];
        });
        const [result] = await connection.query<ResultSetHeader>('INSERT INTO events (name, venue, details, date, created_at) VALUES ?', [rows]);
        // A simple multi-row INSERT gets consecutive ids (innodb_autoinc_lock_mode 0/1; the bench runs alone on its database).
        rows.forEach((row, i) => events.push({ id: result.insertId + i, date: row[3] as Date }));
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
    close: () => connection.end(),
  };
}

const CATEGORY_STATE_SQL = `SELECT c.seats_limit AS seatsLimit, c.seats_sold AS seatsSold, c.seats_held AS seatsHeld,
        (SELECT COALESCE(SUM(b.quantity), 0) FROM bookings b WHERE b.ticket_category_id = c.id AND b.status = 'confirmed') AS booked,
        (SELECT COUNT(*) FROM bookings b WHERE b.ticket_category_id = c.id) AS bookings
   FROM ticket_categories c WHERE c.event_id = ?`;

const FIRST_CATEGORY_SQL = 'SELECT MIN(id) AS id FROM ticket_categories WHERE event_id = ?';

function numbers(row: Record<string, unknown>) {
  return {
    seatsLimit: Number(row.seatsLimit),
    seatsSold: Number(row.seatsSold),
    seatsHeld: Number(row.seatsHeld),
    booked: Number(row.booked),
    bookings: Number(row.bookings),
  };
}

/** TypeORM's better-sqlite3 driver stores datetimes as UTC 'YYYY-MM-DD HH:MM:SS.mmm'. */
function sqliteDate(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function openSqlite(path: string): BenchDatabase {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  const insertEvent = db.prepare('INSERT INTO events (name, venue, details, date, created_at) VALUES (?, ?, ?, ?, ?)');
  const insertCategory = db.prepare(
    'INSERT INTO ticket_categories (event_id, name, name_key, price, seats_limit, seats_sold, seats_held, max_per_booking) VALUES (?, ?, ?, ?, ?, 0, 0, NULL)',
  );
  return {
    insertEvents(count, categories, firstDate) {
      const insertAll = db.transaction(() => {
        const events: SeededEvent[] = [];
        for (let i = 0; i < count; i++) {
          const date = new Date(firstDate.getTime() + i * 60_000);
          const id = Number(insertEvent.run(`Bench event ${i}`, 'Bench Hall', 'Seeded for the benchmark.', sqliteDate(date), sqliteDate(new Date())).lastInsertRowid);
          for (const c of categories) insertCategory.run(id, c.name, c.name.toLowerCase(), c.price, c.seatsLimit);
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
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}
