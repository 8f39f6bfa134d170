/**
 * The lock limit: how many bookings per second the hot category row allows when nothing but the
 * locking transaction runs — no HTTP, no event read, no framework. 64 workers, each on its own
 * connection, run START TRANSACTION, SELECT … FOR UPDATE, UPDATE, the INSERTs of the booking, its
 * line and its ticket, COMMIT on one row, one statement per round trip, for the given seconds;
 * prints {"transactions":…,"seconds":…} on stdout.
 * Run by bench/run.ts in a process of its own, so the runner's event loop does not slow it down.
 * Arguments: DATABASE_URL EVENT_ID CATEGORY_ID SECONDS
 */
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { generateReference } from '../src/common/reference.js';

const WORKERS = 64;
const [databaseUrl, eventId, categoryId, seconds] = process.argv.slice(2);
const url = new URL(databaseUrl);

function connect(): Promise<Connection> {
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    timezone: 'Z',
    charset: 'utf8mb4',
  });
}

async function book(connection: Connection): Promise<void> {
  await connection.query('START TRANSACTION');
  const [[locked]] = await connection.query<RowDataPacket[]>('SELECT id, price, seats_limit, seats_sold, seats_held FROM ticket_categories WHERE id = ? FOR UPDATE', [categoryId]);
  if (locked.seats_limit - locked.seats_sold - locked.seats_held < 1) throw new Error('the hot category ran out of seats');
  await connection.query('UPDATE ticket_categories SET seats_sold = seats_sold + ? WHERE id = ?', [1, categoryId]);
  const reference = generateReference();
  await connection.query(
    'INSERT INTO bookings (reference, status, event_id, ticket_category_id, quantity, unit_price, total_price, customer_name, customer_email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [reference, 'confirmed', eventId, categoryId, 1, locked.price, locked.price, 'Bench Buyer', 'buyer@example.com', new Date()],
  );
  await connection.query('INSERT INTO order_lines (reference, event_id, ticket_category_id, position, quantity, unit_price, total_price, state) VALUES (?, ?, ?, 0, 1, ?, ?, ?)', [
    reference,
    eventId,
    categoryId,
    locked.price,
    locked.price,
    'sold',
  ]);
  await connection.query('INSERT INTO tickets (code, reference, event_id, ticket_category_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)', [randomBytes(16).toString('base64url'), reference, eventId, categoryId, 'valid', new Date()]);
  await connection.query('COMMIT');
}

const connections = await Promise.all(Array.from({ length: WORKERS }, connect));
const deadline = Date.now() + Number(seconds) * 1000;
const startedAt = Date.now();
let transactions = 0;
await Promise.all(
  connections.map(async (connection) => {
    while (Date.now() < deadline) {
      await book(connection);
      transactions++;
    }
  }),
);
const elapsed = (Date.now() - startedAt) / 1000;
await Promise.all(connections.map((connection) => connection.end()));
process.stdout.write(`${JSON.stringify({ transactions, seconds: elapsed })}\n`);
