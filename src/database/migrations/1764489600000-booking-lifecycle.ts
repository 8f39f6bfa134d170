import {
  Table,
  TableColumn,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { generateReference } from '../../common/reference.js';
import { addCheck, dropCheck } from './check-constraints.js';

/** References, statuses and cancellation for bookings; holds; per-booking limits; idempotency keys. */
export class BookingLifecycle1764489600000 implements MigrationInterface {
  name = 'BookingLifecycle1764489600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isMysql = queryRunner.connection.options.type === 'mysql';
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const timestamp = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });

    await queryRunner.addColumns('ticket_categories', [
      new TableColumn({ name: 'seats_held', type: 'integer', default: 0 }),
      new TableColumn({ name: 'max_per_booking', type: 'integer', isNullable: true }),
    ]);
    await addCheck(queryRunner, 'ticket_categories', 'chk_ticket_categories_held', 'seats_held >= 0 AND seats_sold + seats_held <= seats_limit');

    await queryRunner.addColumns('bookings', [
      new TableColumn({ name: 'reference', type: 'varchar', length: '12', isNullable: true }),
      new TableColumn({ name: 'status', type: 'varchar', length: '16', default: "'confirmed'" }),
      new TableColumn(timestamp('cancelled_at', true)),
    ]);
    // Bookings made before references existed get one now, so every booking can be looked up.
    const unreferenced = (await queryRunner.query('SELECT id FROM bookings WHERE reference IS NULL')) as { id: number }[];
    for (const { id: bookingId } of unreferenced) {
      await queryRunner.query('UPDATE bookings SET reference = ? WHERE id = ?', [generateReference(), bookingId]);
    }
    await queryRunner.createIndex('bookings', new TableIndex({ name: 'uq_bookings_reference', columnNames: ['reference'], isUnique: true }));

    await queryRunner.createTable(
      new Table({
        name: 'holds',
        columns: [
          id,
          { name: 'reference', type: 'varchar', length: '12' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'event_id', type: 'integer' },
          { name: 'ticket_category_id', type: 'integer' },
          { name: 'quantity', type: 'integer' },
          { name: 'unit_price', type: 'decimal', precision: 10, scale: 2 },
          { name: 'total_price', type: 'decimal', precision: 16, scale: 2 },
          { name: 'customer_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'customer_email', type: 'varchar', length: '254', isNullable: true },
          timestamp('expires_at'),
          { name: 'booking_id', type: 'integer', isNullable: true },
          timestamp('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_holds_reference', columnNames: ['reference'], isUnique: true }),
          new TableIndex({ name: 'idx_holds_category_status_expiry', columnNames: ['ticket_category_id', 'status', 'expires_at'] }),
          new TableIndex({ name: 'idx_holds_status_expiry', columnNames: ['status', 'expires_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_holds_event', columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] }),
          new TableForeignKey({
            name: 'fk_holds_ticket_category',
            columnNames: ['ticket_category_id'],
            referencedTableName: 'ticket_categories',
            referencedColumnNames: ['id'],
          }),
          new TableForeignKey({ name: 'fk_holds_booking', columnNames: ['booking_id'], referencedTableName: 'bookings', referencedColumnNames: ['id'] }),
        ],
      }),
    );

    await addCheck(queryRunner, 'holds', 'chk_holds_quantity', 'quantity > 0');

    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'fingerprint', type: 'varchar', length: '64' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'response_status', type: 'integer', isNullable: true },
          // A stored event representation can exceed MySQL's 64 KiB TEXT.
          { name: 'response_body', type: isMysql ? 'mediumtext' : 'text', isNullable: true },
          timestamp('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_idempotency_keys_created', columnNames: ['created_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
    await queryRunner.dropTable('holds');
    await queryRunner.dropIndex('bookings', 'uq_bookings_reference');
    await queryRunner.dropColumns('bookings', ['cancelled_at', 'status', 'reference']);
    await dropCheck(queryRunner, 'ticket_categories', 'chk_ticket_categories_held');
    await queryRunner.dropColumns('ticket_categories', ['max_per_booking', 'seats_held']);
  }
}
