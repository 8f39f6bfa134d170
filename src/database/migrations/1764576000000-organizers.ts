import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Organisers and their API keys; events get an owner and a status; categories can close for sale. */
export class Organizers1764576000000 implements MigrationInterface {
  name = 'Organizers1764576000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const timestamp = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });

    await queryRunner.createTable(
      new Table({
        name: 'organizers',
        columns: [id, { name: 'name', type: 'varchar', length: '100' }, timestamp('created_at')],
        indices: [new TableIndex({ name: 'uq_organizers_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          id,
          { name: 'organizer_id', type: 'integer' },
          { name: 'key_hash', type: 'varchar', length: '64' },
          { name: 'key_prefix', type: 'varchar', length: '16' },
          timestamp('created_at'),
          timestamp('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_api_keys_hash', columnNames: ['key_hash'], isUnique: true }),
          new TableIndex({ name: 'idx_api_keys_prefix', columnNames: ['key_prefix'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_api_keys_organizer', columnNames: ['organizer_id'], referencedTableName: 'organizers', referencedColumnNames: ['id'] }),
        ],
      }),
    );

    // Events published before owners existed keep no owner: nobody can change them through the API.
    await queryRunner.addColumns('events', [
      new TableColumn({ name: 'organizer_id', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'status', type: 'varchar', length: '16', default: "'scheduled'" }),
      new TableColumn(timestamp('cancelled_at', true)),
    ]);
    await queryRunner.createForeignKey(
      'events',
      new TableForeignKey({ name: 'fk_events_organizer', columnNames: ['organizer_id'], referencedTableName: 'organizers', referencedColumnNames: ['id'] }),
    );
    await queryRunner.createIndex('events', new TableIndex({ name: 'idx_events_status_date_id', columnNames: ['status', 'date', 'id'] }));

    // Read on the locked category row, so a booking learns of a cancellation without another query.
    await queryRunner.addColumn('ticket_categories', new TableColumn({ name: 'sales_closed', type: 'boolean', default: false }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('ticket_categories', 'sales_closed');
    await queryRunner.dropIndex('events', 'idx_events_status_date_id');
    await queryRunner.dropForeignKey('events', 'fk_events_organizer');
    await queryRunner.dropColumns('events', ['cancelled_at', 'status', 'organizer_id']);
    await queryRunner.dropTable('api_keys');
    await queryRunner.dropTable('organizers');
  }
}
