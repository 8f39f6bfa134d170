import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { MAX_VENUE_KEY_LENGTH, venueGrams, venueKey } from '../../common/search-terms.js';

const BATCH = 500;

interface EventRow {
  id: number | string;
  venue: string;
  date: Date | string;
}

/**
 * The venue filter of a search, found by index: every event's venue folded once (venue_key, what
 * the filter is compared with, binary on MySQL so both databases compare alike) and cut into
 * pieces of three characters (event_venue_grams), each with the event's date. The index that let
 * the filter be checked while walking every event by date goes: the walk now starts on a piece.
 */
export class VenueGrams1765526400000 implements MigrationInterface {
  name = 'VenueGrams1765526400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const binary = queryRunner.connection.options.type === 'mysql' ? 'utf8mb4_bin' : undefined;
    await queryRunner.addColumn('events', new TableColumn({ name: 'venue_key', type: 'varchar', length: String(MAX_VENUE_KEY_LENGTH), default: "''", collation: binary }));
    await queryRunner.createTable(
      new Table({
        name: 'event_venue_grams',
        columns: [
          { name: 'event_id', type: 'integer', isPrimary: true },
          { name: 'gram', type: 'varchar', length: '3', isPrimary: true, collation: binary },
          { name: 'date', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'idx_event_venue_grams_gram_date', columnNames: ['gram', 'date', 'event_id'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_event_venue_grams_event', columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await indexExistingVenues(queryRunner);
    await queryRunner.dropIndex('events', 'idx_events_date_id_status_venue');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('events', new TableIndex({ name: 'idx_events_date_id_status_venue', columnNames: ['date', 'id', 'status', 'venue'] }));
    await queryRunner.dropTable('event_venue_grams');
    await queryRunner.dropColumn('events', 'venue_key');
  }
}

async function indexExistingVenues(queryRunner: QueryRunner): Promise<void> {
  for (let afterId = 0; ; ) {
    const rows = (await queryRunner.query('SELECT id, venue, date FROM events WHERE id > ? ORDER BY id LIMIT ?', [afterId, BATCH])) as EventRow[];
    if (rows.length === 0) return;
    const grams: unknown[][] = [];
    for (const row of rows) {
      const key = venueKey(row.venue);
      await queryRunner.query('UPDATE events SET venue_key = ? WHERE id = ?', [key, row.id]);
      for (const gram of venueGrams(key)) grams.push([row.id, gram, row.date]);
    }
    for (let start = 0; start < grams.length; start += BATCH) {
      const batch = grams.slice(start, start + BATCH);
      await queryRunner.query(`INSERT INTO event_venue_grams (event_id, gram, date) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`, batch.flat());
    }
    afterId = Number(rows.at(-1)?.id);
  }
}
