import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addCheck } from './check-constraints.js';

/**
 * Waiting lists: an entry per buyer in line for a sold-out category, in arrival order (its id).
 * An offer is an ordinary hold; the entry names it by reference, since a released hold is deleted.
 */
export class Waitlist1765440000000 implements MigrationInterface {
  name = 'Waitlist1765440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'waitlist_entries',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'reference', type: 'varchar', length: '12' },
          { name: 'event_id', type: 'integer' },
          { name: 'ticket_category_id', type: 'integer' },
          { name: 'quantity', type: 'integer' },
          { name: 'customer_email', type: 'varchar', length: '254' },
          { name: 'customer_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'hold_reference', type: 'varchar', length: '12', isNullable: true },
          { name: 'offer_expires_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'uq_waitlist_entries_reference', columnNames: ['reference'], isUnique: true }),
          new TableIndex({ name: 'idx_waitlist_entries_line', columnNames: ['ticket_category_id', 'status', 'id'] }),
          new TableIndex({ name: 'idx_waitlist_entries_event', columnNames: ['event_id', 'id'] }),
          new TableIndex({ name: 'idx_waitlist_entries_hold', columnNames: ['hold_reference'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_waitlist_entries_events', columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] }),
          new TableForeignKey({ name: 'fk_waitlist_entries_ticket_categories', columnNames: ['ticket_category_id'], referencedTableName: 'ticket_categories', referencedColumnNames: ['id'] }),
        ],
      }),
    );
    await addCheck(queryRunner, 'waitlist_entries', 'chk_waitlist_entries_quantity', 'quantity >= 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('waitlist_entries');
  }
}
