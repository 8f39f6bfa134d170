/**
 * The bare baseline: Fastify + mysql2, no NestJS, no TypeORM. It serves the benchmarked endpoints
 * with the same SQL semantics as the app (holds-aware availability, the same pessimistic booking
 * transaction, keyset pagination by (date, id)), so that app/baseline measures what the framework
 * and the ORM cost. Configured by BASELINE_DATABASE_URL (mysql://…), PORT and POOL_SIZE.
 */
import Fastify, { type FastifyReply } from 'fastify';
import { createPool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import { generateReference } from '../src/common/reference.js';

interface CategoryRow extends RowDataPacket {
  id: number;
  event_id: number;
  name: string;
  name_key: string;
  price: string;
  seats_limit: number;
  seats_sold: number;
  seats_held: number;
  max_per_booking: number | null;
}

interface EventRow extends RowDataPacket {
  id: number;
  name: string;
  venue: string;
  details: string | null;
  date: Date;
}

interface Event extends EventRow {
  categories: CategoryRow[];
}

const url = new URL(process.env.BASELINE_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticketing_bench');
const pool = createPool({
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username) || 'root',
  password: decodeURIComponent(url.password),
  database: url.pathname.slice(1),
  connectionLimit: Number(process.env.POOL_SIZE ?? 10),
  timezone: 'Z',
  charset: 'utf8mb4',
});

const EVENT_COLUMNS = 'e.id, e.name, e.venue, e.details, e.date';
const CATEGORY_COLUMNS = 'c.id, c.event_id, c.name, c.name_key, c.price, c.seats_limit, c.seats_sold, c.seats_held, c.max_per_booking';

const seatsLeft = (c: Pick<CategoryRow, 'seats_limit' | 'seats_sold' | 'seats_held'>) => c.seats_limit - c.seats_sold - c.seats_held;
const cents = (price: string) => Math.round(Number(price) * 100);

/** The published seats_held never counts holds that expired since the last sweep (one query, only if any are held). */
async function countOnlyUnexpiredHolds(categories: CategoryRow[]): Promise<void> {
  const withHolds = categories.filter((c) => c.seats_held > 0);
  if (withHolds.length === 0) return;
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT ticket_category_id AS id, SUM(quantity) AS seats FROM holds
      WHERE ticket_category_id IN (?) AND status = 'active' AND expires_at > ? GROUP BY ticket_category_id`,
    [withHolds.map((c) => c.id), new Date()],
  );
  const held = new Map(rows.map((row) => [Number(row.id), Number(row.seats)]));
  for (const c of withHolds) c.seats_held = held.get(c.id) ?? 0;
}

async function findEvent(id: number): Promise<Event | undefined> {
  const [rows] = await pool.query<RowDataPacket[]>({
    sql: `SELECT ${EVENT_COLUMNS}, ${CATEGORY_COLUMNS} FROM events e LEFT JOIN ticket_categories c ON c.event_id = e.id WHERE e.id = ?`,
    values: [id],
    nestTables: true,
  });
  if (rows.length === 0) return undefined;
  const event = { ...(rows[0].e as EventRow), categories: [] } as Event;
  for (const row of rows) if ((row.c as CategoryRow).id !== null) event.categories.push(row.c as CategoryRow);
  await countOnlyUnexpiredHolds(event.categories);
  return event;
}

/** The app's event.mapper.ts on raw rows, written again on purpose: the baseline loads none of the app's framework code. */
function mapEvent(event: Event) {
  const categories = [...event.categories].sort((a, b) => a.id - b.id);
  return {
    id: event.id,
    name: event.name,
    venue: event.venue,
    date: event.date.toISOString(),
    details: event.details,
    sold_out: categories.every((c) => seatsLeft(c) <= 0),
    ticket_categories: categories.map((c) => ({
      name: c.name,
      price: Number(c.price),
      seats_limit: c.seats_limit,
      seats_sold: c.seats_sold,
      seats_held: c.seats_held,
      seats_available: seatsLeft(c),
      max_per_booking: c.max_per_booking,
    })),
  };
}

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.status(status).send({ statusCode: status, code, message });
}

class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Lock, expire overdue holds only if short, check, UPDATE, INSERT, COMMIT: the app's transaction. */
async function bookLocked(connection: PoolConnection, event: Event, categoryId: number, quantity: number, body: BookBody) {
  const [[locked]] = await connection.query<CategoryRow[]>(
    'SELECT id, name, price, seats_limit, seats_sold, seats_held FROM ticket_categories WHERE id = ? FOR UPDATE',
    [categoryId],
  );
  const now = new Date();
  if (seatsLeft(locked) < quantity && locked.seats_held > 0) {
    const [[overdue]] = await connection.query<RowDataPacket[]>(
      `SELECT COALESCE(SUM(quantity), 0) AS seats FROM holds WHERE ticket_category_id = ? AND status = 'active' AND expires_at <= ?`,
      [categoryId, now],
    );
    const seats = Number(overdue.seats);
    if (seats > 0) {
      await connection.query(`UPDATE holds SET status = 'expired' WHERE ticket_category_id = ? AND status = 'active' AND expires_at <= ?`, [categoryId, now]);
      await connection.query('UPDATE ticket_categories SET seats_held = seats_held - ? WHERE id = ?', [seats, categoryId]);
      locked.seats_held -= seats;
    }
  }
  const available = seatsLeft(locked);
  if (available <= 0) throw new Refusal('SOLD_OUT', `Ticket category "${locked.name}" is sold out.`);
  if (available < quantity) throw new Refusal('INSUFFICIENT_SEATS', `Only ${available} seats left in "${locked.name}".`);
  await connection.query('UPDATE ticket_categories SET seats_sold = seats_sold + ?, seats_held = seats_held + 0 WHERE id = ?', [quantity, categoryId]);
  const unit = cents(locked.price);
  const booking = {
    reference: generateReference(),
    status: 'confirmed',
    event_id: event.id,
    ticket_category_id: categoryId,
    quantity,
    unit_price: unit / 100,
    total_price: (unit * quantity) / 100,
    customer_name: body.customer_name ?? null,
    customer_email: body.customer_email ?? null,
    created_at: now,
    cancelled_at: null,
  };
  const [inserted] = await connection.query<RowDataPacket[] & { insertId: number }>('INSERT INTO bookings SET ?', [booking]);
  return { id: inserted.insertId, ...booking, category: locked.name };
}

interface BookBody {
  ticket_category: string;
  quantity: number;
  customer_name?: string;
  customer_email?: string;
}

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.post<{ Params: { id: string }; Body: BookBody }>(
  '/events/:id/book',
  {
    schema: {
      body: {
        type: 'object',
        required: ['ticket_category', 'quantity'],
        additionalProperties: false,
        properties: {
          ticket_category: { type: 'string', minLength: 1, maxLength: 100 },
          quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          customer_name: { type: 'string', maxLength: 200 },
          customer_email: { type: 'string', maxLength: 254, format: 'email' },
        },
      },
    },
  },
  async (request, reply) => {
    const event = await findEvent(Number(request.params.id));
    if (!event) return fail(reply, 404, 'EVENT_NOT_FOUND', `Event ${request.params.id} does not exist.`);
    if (event.date.getTime() <= Date.now()) return fail(reply, 409, 'EVENT_IN_PAST', 'Event has already taken place.');
    const { quantity } = request.body;
    const category = event.categories.find((c) => c.name_key === request.body.ticket_category.toLowerCase());
    if (!category) return fail(reply, 422, 'TICKET_CATEGORY_NOT_FOUND', 'No such ticket category.');
    if (category.max_per_booking !== null && quantity > category.max_per_booking) {
      return fail(reply, 422, 'QUANTITY_ABOVE_LIMIT', 'Too many seats for one booking.');
    }
    const connection = await pool.getConnection();
    try {
      await connection.query('START TRANSACTION');
      const booking = await bookLocked(connection, event, category.id, quantity, request.body);
      await connection.query('COMMIT');
      const { category: categoryName, ...fields } = booking;
      return reply.status(201).send({
        ...fields,
        ticket_category_id: undefined,
        event: { id: event.id, name: event.name, venue: event.venue, date: event.date.toISOString() },
        ticket_category: categoryName,
        created_at: booking.created_at.toISOString(),
      });
    } catch (error) {
      await connection.query('ROLLBACK');
      if (error instanceof Refusal) return fail(reply, 409, error.code, error.message);
      throw error;
    } finally {
      connection.release();
    }
  },
);

app.get<{ Params: { id: string } }>('/events/:id', async (request, reply) => {
  const event = await findEvent(Number(request.params.id));
  if (!event) return fail(reply, 404, 'EVENT_NOT_FOUND', `Event ${request.params.id} does not exist.`);
  return mapEvent(event);
});

app.get<{ Querystring: { limit?: string; cursor?: string } }>('/events', async (request, reply) => {
  const limit = Math.min(Number(request.query.limit ?? 50), 100);
  const values: unknown[] = [new Date()];
  let where = 'e.date > ?';
  if (request.query.cursor) {
    const [date, id] = JSON.parse(Buffer.from(request.query.cursor, 'base64url').toString('utf8')) as [string, number];
    where += ' AND (e.date > ? OR (e.date = ? AND e.id > ?))';
    values.push(new Date(date), new Date(date), id);
  }
  const [rows] = await pool.query<EventRow[]>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE ${where} ORDER BY e.date, e.id LIMIT ${limit + 1}`, values);
  const events = rows.slice(0, limit).map((row) => Object.assign(row, { categories: [] as CategoryRow[] }));
  if (events.length > 0) {
    const byId = new Map(events.map((event) => [event.id, event]));
    const [categories] = await pool.query<CategoryRow[]>(`SELECT ${CATEGORY_COLUMNS} FROM ticket_categories c WHERE c.event_id IN (?)`, [[...byId.keys()]]);
    for (const c of categories) byId.get(c.event_id)?.categories.push(c);
    await countOnlyUnexpiredHolds(categories);
  }
  const last = events.at(-1);
  if (rows.length > limit && last) {
    const cursor = Buffer.from(JSON.stringify([last.date.toISOString(), last.id])).toString('base64url');
    void reply.header('Link', `</events?limit=${limit}&cursor=${cursor}>; rel="next"`);
  }
  return events.map(mapEvent);
});

const port = Number(process.env.PORT ?? 3100);
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0));
});
