import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Keys for door staff: each admits check-ins at one event only. Like organiser keys, only their
 * SHA-256 is stored; the prefix names a key in lists and revocations.
 */
export class ScannerKeys1765094400000 implements MigrationInterface {
  name = 'ScannerKeys1765094400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'scanner_keys',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'event_id', type: 'integer' },
          { name: 'key_hash', type: 'varchar', length: '64' },
          { name: 'key_prefix', type: 'varchar', length: '16' },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'revoked_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_scanner_keys_hash', columnNames: ['key_hash'], isUnique: true }),
          new TableIndex({ name: 'idx_scanner_keys_event', columnNames: ['event_id'] }),
        ],
        foreignKeys: [new TableForeignKey({ name: 'fk_scanner_keys_events', columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('scanner_keys');
  }
}
