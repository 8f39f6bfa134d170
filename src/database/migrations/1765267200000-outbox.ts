import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The transactional outbox: each change's announcement, written in the change's own transaction.
 * A booking of 1,000 tickets is a message of about 150 KB, more than MySQL's TEXT holds.
 */
export class Outbox1765267200000 implements MigrationInterface {
  name = 'Outbox1765267200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const longText = queryRunner.connection.options.type === 'mysql' ? 'mediumtext' : 'text';
    await queryRunner.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'message_key', type: 'varchar', length: '40' },
          { name: 'message_type', type: 'varchar', length: '40' },
          { name: 'event_id', type: 'integer' },
          { name: 'subject', type: 'varchar', length: '16', isNullable: true },
          { name: 'message_data', type: longText },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'dispatched_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_outbox_messages_key', columnNames: ['message_key'], isUnique: true }),
          new TableIndex({ name: 'idx_outbox_messages_undispatched', columnNames: ['dispatched_at', 'id'] }),
          new TableIndex({ name: 'idx_outbox_messages_subject', columnNames: ['subject'] }),
        ],
        foreignKeys: [new TableForeignKey({ name: 'fk_outbox_messages_events', columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_messages');
  }
}
