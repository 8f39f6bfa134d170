import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The list of upcoming events walks idx_events_date_id and skips cancelled events as it goes.
 * With (status, date, id) present, MariaDB 10.11 reads `status = 'scheduled'` as a ref on the
 * status prefix and scanned every scheduled event before a cursor: a page 7,500 events deep read
 * 7,500 index entries instead of 51. Nothing else reads by status, so the index only cost writes.
 */
export class ListEventsByDateIndex1764662400000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('events', 'idx_events_status_date_id');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('events', new TableIndex({ name: 'idx_events_status_date_id', columnNames: ['status', 'date', 'id'] }));
  }
}
