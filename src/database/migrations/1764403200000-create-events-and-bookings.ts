import { Table, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addCheck } from './check-constraints.js';

/**
 * Written with TypeORM's schema API rather than generated SQL, so that one migration serves
 * MySQL/MariaDB and SQLite alike.
 */
export class CreateEventsAndBookings1764403200000 implements MigrationInterface {
  name = 'CreateEventsAndBookings1764403200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isMysql = queryRunner.connection.options.type === 'mysql';
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const timestamp = (name: string) => ({ name, type: 'datetime', precision: 3 });

    await queryRunner.createTable(
      new Table({
        name: 'events',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'venue', type: 'varchar', length: '200' },
          { name: 'details', type: 'text', isNullable: true },
          timestamp('date'),
          timestamp('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_events_date_id', columnNames: ['date', 'id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'ticket_categories',
        columns: [
          id,
          { name: 'event_id', type: 'integer' },
          { name: 'name', type: 'varchar', length: '100' },
          // Binary collation on MySQL: uniqueness is decided by our own lower-casing, not by accent folding.
          { name: 'name_key', type: 'varchar', length: '100', collation: isMysql ? 'utf8mb4_bin' : undefined },
          { name: 'price', type: 'decimal', precision: 10, scale: 2 },
          { name: 'seats_limit', type: 'integer' },
          { name: 'seats_sold', type: 'integer', default: 0 },
        ],
        uniques: [new TableUnique({ name: 'uq_ticket_categories_event_name', columnNames: ['event_id', 'name_key'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_ticket_categories_event',
            columnNames: ['event_id'],
            referencedTableName: 'events',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'bookings',
        columns: [
          id,
          { name: 'event_id', type: 'integer' },
          { name: 'ticket_category_id', type: 'integer' },
          { name: 'quantity', type: 'integer' },
          { name: 'unit_price', type: 'decimal', precision: 10, scale: 2 },
          { name: 'total_price', type: 'decimal', precision: 16, scale: 2 },
          { name: 'customer_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'customer_email', type: 'varchar', length: '254', isNullable: true },
          timestamp('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_bookings_ticket_category', columnNames: ['ticket_category_id'] }),
          new TableIndex({ name: 'idx_bookings_event', columnNames: ['event_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_bookings_event',
            columnNames: ['event_id'],
            referencedTableName: 'events',
            referencedColumnNames: ['id'],
          }),
          new TableForeignKey({
            name: 'fk_bookings_ticket_category',
            columnNames: ['ticket_category_id'],
            referencedTableName: 'ticket_categories',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );

    await addCheck(queryRunner, 'ticket_categories', 'chk_ticket_categories_seats', 'seats_sold >= 0 AND seats_sold <= seats_limit');
    await addCheck(queryRunner, 'bookings', 'chk_bookings_quantity', 'quantity > 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('bookings');
    await queryRunner.dropTable('ticket_categories');
    await queryRunner.dropTable('events');
  }
}
