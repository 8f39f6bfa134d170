import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { generateTicketCode } from '../../common/ticket-code.js';
import { addCheck } from './check-constraints.js';

const BATCH = 500;
const TICKETS_PER_INSERT = 1_000;

interface BookingRow {
  id: number | string;
  reference: string;
  event_id: number | string;
  ticket_category_id: number | string;
  quantity: number | string;
  unit_price: number | string;
  total_price: number | string;
  status: string;
  created_at: Date | string;
}

/**
 * Orders of several lines and a ticket per seat. A line is keyed by the order's reference, which
 * a hold and the booking it becomes share, so confirming a hold turns its lines from held to sold
 * in place. A booking of several categories has no single category or unit price any more.
 * Bookings and holds made before get one line each, and every booked seat its ticket.
 */
export class OrdersAndTickets1765008000000 implements MigrationInterface {
  name = 'OrdersAndTickets1765008000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isMysql = queryRunner.connection.options.type === 'mysql';
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const timestamp = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
    const references = (table: string, column: string, target: string) =>
      new TableForeignKey({ name: `fk_${table}_${target}`, columnNames: [column], referencedTableName: target, referencedColumnNames: ['id'] });

    await queryRunner.addColumn('events', new TableColumn({ name: 'max_tickets_per_booking', type: 'integer', isNullable: true }));

    await queryRunner.createTable(
      new Table({
        name: 'order_lines',
        columns: [
          id,
          { name: 'reference', type: 'varchar', length: '12' },
          { name: 'event_id', type: 'integer' },
          { name: 'ticket_category_id', type: 'integer' },
          { name: 'position', type: 'integer' },
          { name: 'quantity', type: 'integer' },
          { name: 'unit_price', type: 'decimal', precision: 10, scale: 2 },
          { name: 'total_price', type: 'decimal', precision: 16, scale: 2 },
          { name: 'attendee_names', type: 'text', isNullable: true },
          { name: 'state', type: 'varchar', length: '16' },
        ],
        indices: [
          new TableIndex({ name: 'idx_order_lines_reference', columnNames: ['reference'] }),
          new TableIndex({ name: 'idx_order_lines_category_state', columnNames: ['ticket_category_id', 'state'] }),
          new TableIndex({ name: 'idx_order_lines_state_category', columnNames: ['state', 'ticket_category_id'] }),
        ],
        foreignKeys: [references('order_lines', 'event_id', 'events'), references('order_lines', 'ticket_category_id', 'ticket_categories')],
      }),
    );
    await addCheck(queryRunner, 'order_lines', 'chk_order_lines_quantity', 'quantity > 0');

    await queryRunner.createTable(
      new Table({
        name: 'tickets',
        columns: [
          id,
          // Binary on MySQL: base64url tells "a" from "A".
          { name: 'code', type: 'varchar', length: '32', collation: isMysql ? 'utf8mb4_bin' : undefined },
          { name: 'reference', type: 'varchar', length: '12' },
          { name: 'event_id', type: 'integer' },
          { name: 'ticket_category_id', type: 'integer' },
          { name: 'attendee_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          timestamp('checked_in_at', true),
          timestamp('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_tickets_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({ name: 'idx_tickets_reference', columnNames: ['reference'] }),
          new TableIndex({ name: 'idx_tickets_event_category_status', columnNames: ['event_id', 'ticket_category_id', 'status'] }),
          // The attendee list walks an event's tickets by id, a page at a time.
          new TableIndex({ name: 'idx_tickets_event_id', columnNames: ['event_id', 'id'] }),
        ],
        foreignKeys: [references('tickets', 'event_id', 'events'), references('tickets', 'ticket_category_id', 'ticket_categories')],
      }),
    );

    for (const table of ['bookings', 'holds']) {
      for (const column of ['ticket_category_id', 'unit_price']) await makeNullable(queryRunner, table, column);
    }
    await backfillBookings(queryRunner);
    await backfillActiveHolds(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tickets');
    await queryRunner.dropTable('order_lines');
    await queryRunner.dropColumn('events', 'max_tickets_per_booking');
  }
}

async function makeNullable(queryRunner: QueryRunner, tableName: string, columnName: string): Promise<void> {
  const table = await queryRunner.getTable(tableName);
  const column = table?.findColumnByName(columnName);
  if (!table || !column) throw new Error(`${tableName}.${columnName} is missing`);
  const nullable = column.clone();
  nullable.isNullable = true;
  await queryRunner.changeColumn(table, column, nullable);
}

async function backfillBookings(queryRunner: QueryRunner): Promise<void> {
  for (let afterId = 0; ; ) {
    const rows = (await queryRunner.query(
      'SELECT id, reference, event_id, ticket_category_id, quantity, unit_price, total_price, status, created_at FROM bookings WHERE id > ? ORDER BY id LIMIT ?',
      [afterId, BATCH],
    )) as BookingRow[];
    if (rows.length === 0) return;
    for (const row of rows) {
      const confirmed = row.status === 'confirmed';
      await insertLine(queryRunner, row, confirmed ? 'sold' : 'returned');
      for (let made = 0; made < Number(row.quantity); made += TICKETS_PER_INSERT) {
        const count = Math.min(TICKETS_PER_INSERT, Number(row.quantity) - made);
        const tuples = Array.from({ length: count }, () => '(?, ?, ?, ?, ?, ?)').join(', ');
        const values = Array.from({ length: count }, () => [generateTicketCode(), row.reference, row.event_id, row.ticket_category_id, confirmed ? 'valid' : 'cancelled', row.created_at]).flat();
        await queryRunner.query(`INSERT INTO tickets (code, reference, event_id, ticket_category_id, status, created_at) VALUES ${tuples}`, values);
      }
    }
    afterId = Number(rows.at(-1)?.id);
  }
}

async function backfillActiveHolds(queryRunner: QueryRunner): Promise<void> {
  const rows = (await queryRunner.query(
    "SELECT id, reference, event_id, ticket_category_id, quantity, unit_price, total_price, status, created_at FROM holds WHERE status = 'active'",
  )) as BookingRow[];
  for (const row of rows) await insertLine(queryRunner, row, 'held');
}

async function insertLine(queryRunner: QueryRunner, row: BookingRow, state: string): Promise<void> {
  await queryRunner.query(
    'INSERT INTO order_lines (reference, event_id, ticket_category_id, position, quantity, unit_price, total_price, state) VALUES (?, ?, ?, 0, ?, ?, ?, ?)',
    [row.reference, row.event_id, row.ticket_category_id, row.quantity, row.unit_price, row.total_price, state],
  );
}
