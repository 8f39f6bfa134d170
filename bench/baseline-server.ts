/**
 * The bare baseline: Fastify + mysql2, no NestJS, no TypeORM. It serves the benchmarked endpoints
 * with the same SQL semantics as the app (holds-aware availability, the same pessimistic booking
 * transaction, keyset pagination by (date, id)), so that app/baseline measures what the framework
 * and the ORM cost. Its public reads answer the app's anonymous answer byte for byte, with the same
 * ETag and conditional GET (bench/run.ts compares them before measuring): a smaller answer would
 * measure the bytes, not the framework. Configured by BASELINE_DATABASE_URL (mysql://…), PORT and
 * POOL_SIZE.
 */
import Fastify, { type FastifyReply } from 'fastify';
import { createPool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import { createHash, hash, randomBytes } from 'node:crypto';
import { generateReference } from '../src/common/reference.js';
import { localIsoDate } from '../src/common/time-zone.js';

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
  sales_start: Date | null;
  sales_end: Date | null;
  hidden: number;
}

interface EventRow extends RowDataPacket {
  id: number;
  name: string;
  venue: string;
  details: string | null;
  date: Date;
  status: string;
  timezone: string;
  currency: string;
  max_tickets_per_booking: number | null;
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

const EVENT_COLUMNS = 'e.id, e.name, e.venue, e.details, e.date, e.status, e.timezone, e.currency, e.max_tickets_per_booking';
const CATEGORY_COLUMNS =
  'c.id, c.event_id, c.name, c.name_key, c.price, c.seats_limit, c.seats_sold, c.seats_held, c.max_per_booking, c.sales_start, c.sales_end, c.hidden';

const seatsLeft = (c: Pick<CategoryRow, 'seats_limit' | 'seats_sold' | 'seats_held'>) => c.seats_limit - c.seats_sold - c.seats_held;
const cents = (price: string) => Math.round(Number(price) * 100);

/** The published seats_held never counts holds that expired since the last sweep (one query, only if any are held). */
async function countOnlyUnexpiredHolds(categories: CategoryRow[]): Promise<void> {
  const withHolds = categories.filter((c) => c.seats_held > 0);
  if (withHolds.length === 0) return;
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT l.ticket_category_id AS id, SUM(l.quantity) AS seats FROM order_lines l JOIN holds h ON h.reference = l.reference
      WHERE l.ticket_category_id IN (?) AND l.state = 'held' AND h.expires_at > ? GROUP BY l.ticket_category_id`,
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

/** The app's event.mapper.ts on raw rows, as anyone without a key sees it, written again on purpose: the baseline loads none of the app's framework code. */
function mapEvent(event: Event, now: Date) {
  const categories = event.categories.filter((c) => !c.hidden).sort((a, b) => a.id - b.id);
  const eventOnSale = event.status === 'scheduled' && event.date.getTime() > now.getTime();
  return {
    id: event.id,
    name: event.name,
    venue: event.venue,
    date: event.date.toISOString(),
    timezone: event.timezone,
    local_date: localIsoDate(event.date, event.timezone),
    currency: event.currency,
    details: event.details,
    status: event.status,
    max_tickets_per_booking: event.max_tickets_per_booking,
    sold_out: categories.every((c) => seatsLeft(c) <= 0),
    ticket_categories: categories.map((c) => ({
      name: c.name,
      price: Number(c.price),
      seats_limit: c.seats_limit,
      seats_sold: c.seats_sold,
      seats_held: c.seats_held,
      seats_available: seatsLeft(c),
      max_per_booking: c.max_per_booking,
      sales_start: c.sales_start?.toISOString() ?? null,
      sales_end: c.sales_end?.toISOString() ?? null,
      on_sale: eventOnSale && (c.sales_start === null || c.sales_start.getTime() <= now.getTime()) && (c.sales_end === null || c.sales_end.getTime() > now.getTime()),
      hidden: false,
    })),
  };
}

/** The answer as the app sends it to anyone without a key: its bytes, their strong ETag, and a 304 when the client holds them. */
function sendJson(reply: FastifyReply, value: unknown, ifNoneMatch: string | undefined) {
  const body = JSON.stringify(value);
  const etag = `"${hash('sha1', body, 'base64url')}"`;
  void reply.header('ETag', etag).header('Cache-Control', 'no-cache').header('Vary', 'Authorization');
  if (ifNoneMatch === etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
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

/** Expires the category's overdue holds when the line would not fit otherwise: the app's rule, on lines. */
async function freeOverdueIfShort(connection: PoolConnection, locked: CategoryRow, quantity: number, now: Date): Promise<void> {
  if (seatsLeft(locked) >= quantity || locked.seats_held <= 0) return;
  const overdue = `ticket_category_id = ? AND state = 'held' AND reference IN (SELECT h.reference FROM holds h WHERE h.expires_at <= ?)`;
  const [[row]] = await connection.query<RowDataPacket[]>(`SELECT COALESCE(SUM(quantity), 0) AS seats FROM order_lines WHERE ${overdue}`, [locked.id, now]);
  const seats = Number(row.seats);
  if (seats === 0) return;
  await connection.query(`UPDATE holds SET status = 'expired' WHERE status = 'active' AND expires_at <= ? AND reference IN (SELECT l.reference FROM order_lines l WHERE l.ticket_category_id = ?)`, [now, locked.id]);
  await connection.query(`UPDATE order_lines SET state = 'returned' WHERE ${overdue}`, [locked.id, now]);
  await connection.query('UPDATE ticket_categories SET seats_held = seats_held - ? WHERE id = ?', [seats, locked.id]);
  locked.seats_held -= seats;
}

interface Line {
  category: CategoryRow;
  quantity: number;
}

/**
 * The app's transaction, one statement per round trip: lock every category of the order in id
 * order, expire overdue holds only where short, check every line (sold out first), then the
 * counters, the booking, its lines and a ticket per seat, and COMMIT.
 */
async function bookLocked(connection: PoolConnection, event: Event, lines: Line[], body: BookBody) {
  const locked = new Map<number, CategoryRow>();
  for (const id of lines.map((line) => line.category.id).sort((a, b) => a - b)) {
    const [[row]] = await connection.query<CategoryRow[]>('SELECT id, name, price, seats_limit, seats_sold, seats_held FROM ticket_categories WHERE id = ? FOR UPDATE', [id]);
    locked.set(id, row);
  }
  const now = new Date();
  for (const line of lines) await freeOverdueIfShort(connection, locked.get(line.category.id) as CategoryRow, line.quantity, now);
  const soldOut = lines.find((line) => seatsLeft(locked.get(line.category.id) as CategoryRow) <= 0);
  if (soldOut) throw new Refusal('SOLD_OUT', `Ticket category "${soldOut.category.name}" is sold out.`);
  const short = lines.find((line) => seatsLeft(locked.get(line.category.id) as CategoryRow) < line.quantity);
  if (short) throw new Refusal('INSUFFICIENT_SEATS', `Only ${seatsLeft(locked.get(short.category.id) as CategoryRow)} seats left in "${short.category.name}".`);
  for (const line of lines) await connection.query('UPDATE ticket_categories SET seats_sold = seats_sold + ?, seats_held = seats_held + 0 WHERE id = ?', [line.quantity, line.category.id]);
  const priced = lines.map((line) => ({ ...line, unit: cents((locked.get(line.category.id) as CategoryRow).price) }));
  const single = priced.length === 1 ? priced[0] : undefined;
  const booking = {
    reference: generateReference(),
    status: 'confirmed',
    event_id: event.id,
    ticket_category_id: single?.category.id ?? null,
    quantity: priced.reduce((sum, line) => sum + line.quantity, 0),
    unit_price: single ? single.unit / 100 : null,
    total_price: priced.reduce((sum, line) => sum + line.unit * line.quantity, 0) / 100,
    customer_name: body.customer_name ?? null,
    customer_email: body.customer_email ?? null,
    created_at: now,
    cancelled_at: null,
  };
  const [inserted] = await connection.query<RowDataPacket[] & { insertId: number }>('INSERT INTO bookings SET ?', [booking]);
  await connection.query('INSERT INTO order_lines (reference, event_id, ticket_category_id, position, quantity, unit_price, total_price, state) VALUES ?', [
    priced.map((line, position) => [booking.reference, event.id, line.category.id, position, line.quantity, line.unit / 100, (line.unit * line.quantity) / 100, 'sold']),
  ]);
  const tickets = priced.flatMap((line) => Array.from({ length: line.quantity }, () => ({ code: randomBytes(16).toString('base64url'), category: line.category })));
  await connection.query('INSERT INTO tickets (code, reference, event_id, ticket_category_id, status, created_at) VALUES ?', [
    tickets.map((ticket) => [ticket.code, booking.reference, event.id, ticket.category.id, 'valid', now]),
  ]);
  return {
    id: inserted.insertId,
    ...booking,
    items: priced.map((line) => ({ ticket_category: line.category.name, quantity: line.quantity, unit_price: line.unit / 100, total_price: (line.unit * line.quantity) / 100 })),
    tickets: tickets.map((ticket) => ({ code: ticket.code, ticket_category: ticket.category.name, attendee_name: null, status: 'valid', checked_in_at: null })),
    category: single?.category.name ?? null,
  };
}

interface TicketRow extends RowDataPacket {
  code: string;
  ticket_category_id: number;
  attendee_name: string | null;
  status: string;
  checked_in_at: Date | null;
}

interface BookBody {
  ticket_category?: string;
  quantity?: number;
  items?: { ticket_category: string; quantity: number }[];
  customer_name?: string;
  customer_email?: string;
}

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

const LINE = {
  type: 'object',
  required: ['ticket_category', 'quantity'],
  additionalProperties: false,
  properties: { ticket_category: { type: 'string', minLength: 1, maxLength: 100 }, quantity: { type: 'integer', minimum: 1, maximum: 1000 } },
} as const;

app.post<{ Params: { id: string }; Body: BookBody }>(
  '/events/:id/book',
  {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ticket_category: LINE.properties.ticket_category,
          quantity: LINE.properties.quantity,
          items: { type: 'array', minItems: 1, maxItems: 20, items: LINE },
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
    const requested = request.body.items ?? [{ ticket_category: request.body.ticket_category ?? '', quantity: request.body.quantity ?? 0 }];
    const lines: Line[] = [];
    for (const item of requested) {
      const category = event.categories.find((c) => c.name_key === item.ticket_category.toLowerCase());
      if (!category) return fail(reply, 422, 'TICKET_CATEGORY_NOT_FOUND', 'No such ticket category.');
      lines.push({ category, quantity: item.quantity });
    }
    for (const { category, quantity } of lines) {
      if (category.max_per_booking !== null && quantity > category.max_per_booking) return fail(reply, 422, 'QUANTITY_ABOVE_LIMIT', 'Too many seats for one booking.');
    }
    const connection = await pool.getConnection();
    try {
      await connection.query('START TRANSACTION');
      const booking = await bookLocked(connection, event, lines, request.body);
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

/** The app's check-in: the scanner key's hash looked up, the event's status read, one conditional UPDATE, the ticket read back. */
app.post<{ Params: { id: string }; Body: { code: string } }>(
  '/events/:id/check-ins',
  { schema: { body: { type: 'object', required: ['code'], additionalProperties: false, properties: { code: { type: 'string', minLength: 1, maxLength: 64 } } } } },
  async (request, reply) => {
    const eventId = Number(request.params.id);
    const key = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const [[scanner]] = await pool.query<RowDataPacket[]>('SELECT event_id FROM scanner_keys WHERE key_hash = ? AND revoked_at IS NULL', [createHash('sha256').update(key).digest('hex')]);
    if (!scanner) return fail(reply, 401, 'UNAUTHORIZED', 'The scanner key is not valid.');
    if (Number(scanner.event_id) !== eventId) return fail(reply, 404, 'EVENT_NOT_FOUND', `Event ${eventId} does not exist.`);
    const event = await findEvent(eventId);
    if (!event) return fail(reply, 404, 'EVENT_NOT_FOUND', `Event ${eventId} does not exist.`);
    const now = new Date();
    const [updated] = await pool.query<RowDataPacket[] & { affectedRows: number }>(
      "UPDATE tickets SET checked_in_at = ? WHERE event_id = ? AND code = ? AND status = 'valid' AND checked_in_at IS NULL",
      [now, eventId, request.body.code],
    );
    const [[ticket]] = await pool.query<TicketRow[]>('SELECT code, ticket_category_id, attendee_name, status, checked_in_at FROM tickets WHERE event_id = ? AND code = ?', [eventId, request.body.code]);
    if (!ticket) return fail(reply, 404, 'TICKET_NOT_FOUND', 'No ticket has this code.');
    if (updated.affectedRows !== 1) return fail(reply, 409, ticket.status === 'cancelled' ? 'TICKET_CANCELLED' : 'ALREADY_CHECKED_IN', 'Not admitted.');
    const category = event.categories.find((c) => c.id === ticket.ticket_category_id);
    const checkedInAt = (ticket.checked_in_at as Date).toISOString();
    return {
      result: 'ok',
      ticket: { code: ticket.code, ticket_category: category?.name, attendee_name: ticket.attendee_name, status: ticket.status, checked_in_at: checkedInAt },
      checked_in_at: checkedInAt,
    };
  },
);

app.get<{ Params: { id: string } }>('/events/:id', async (request, reply) => {
  const event = await findEvent(Number(request.params.id));
  if (!event) return fail(reply, 404, 'EVENT_NOT_FOUND', `Event ${request.params.id} does not exist.`);
  return sendJson(reply, mapEvent(event, new Date()), request.headers['if-none-match']);
});

app.get<{ Querystring: { limit?: string; cursor?: string } }>('/events', async (request, reply) => {
  const limit = Math.min(Number(request.query.limit ?? 50), 100);
  const now = new Date();
  const values: unknown[] = [now];
  let where = "e.status = 'scheduled' AND e.date > ?";
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
  return sendJson(
    reply,
    events.map((event) => mapEvent(event, now)),
    request.headers['if-none-match'],
  );
});

const port = Number(process.env.PORT ?? 3100);
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0));
});
