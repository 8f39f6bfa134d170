import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Organisers' webhook endpoints, and each outbox message's delivery to each of them. */
export class Webhooks1765353600000 implements MigrationInterface {
  name = 'Webhooks1765353600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'organizer_id', type: 'integer' },
          { name: 'url', type: 'varchar', length: '2000' },
          { name: 'event_types', type: 'text', isNullable: true },
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'secret', type: 'varchar', length: '64' },
          { name: 'previous_secret', type: 'varchar', length: '64', isNullable: true },
          { name: 'previous_secret_until', type: 'datetime', precision: 3, isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'idx_webhook_endpoints_organizer', columnNames: ['organizer_id', 'id'] })],
        foreignKeys: [new TableForeignKey({ name: 'fk_webhook_endpoints_organizers', columnNames: ['organizer_id'], referencedTableName: 'organizers', referencedColumnNames: ['id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'endpoint_id', type: 'integer' },
          { name: 'message_id', type: 'integer' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer' },
          { name: 'next_attempt_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'lease_token', type: 'varchar', length: '32', isNullable: true },
          { name: 'last_status_code', type: 'integer', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'delivered_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_webhook_deliveries_message', columnNames: ['endpoint_id', 'message_id'], isUnique: true }),
          new TableIndex({ name: 'idx_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'idx_webhook_deliveries_by_message', columnNames: ['message_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_webhook_deliveries_endpoints', columnNames: ['endpoint_id'], referencedTableName: 'webhook_endpoints', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ name: 'fk_webhook_deliveries_messages', columnNames: ['message_id'], referencedTableName: 'outbox_messages', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
