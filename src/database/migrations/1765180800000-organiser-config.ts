import { Table, TableColumn, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { searchTerms } from '../../common/search-terms.js';
import { readDefaultCurrency } from '../../config/environment.js';
import { addCheck } from './check-constraints.js';

const BATCH = 500;

interface EventRow {
  id: number | string;
  name: string;
  venue: string;
  details: string | null;
  date: Date | string;
}

/**
 * What organisers configure: a time zone and a currency per event (existing events get UTC and
 * DEFAULT_CURRENCY, the currency they were implicitly sold in), sales windows and hidden
 * categories, discount and access codes with their use counter, the price a code took off on
 * every booking, hold and line (stored, so later changes of a code never reprice them), and the
 * words of every event for search.
 */
export class OrganiserConfig1765180800000 implements MigrationInterface {
  name = 'OrganiserConfig1765180800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isMysql = queryRunner.connection.options.type === 'mysql';
    const timestamp = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
    const currency = readDefaultCurrency(process.env);

    await queryRunner.addColumns('events', [
      new TableColumn({ name: 'timezone', type: 'varchar', length: '64', default: "'UTC'" }),
      new TableColumn({ name: 'currency', type: 'varchar', length: '3', default: `'${currency}'` }),
    ]);
    // The venue filter of a search is checked in this index as the list walks it, so only matching rows are read.
    await queryRunner.createIndex('events', new TableIndex({ name: 'idx_events_date_id_status_venue', columnNames: ['date', 'id', 'status', 'venue'] }));
    await queryRunner.addColumns('ticket_categories', [
      new TableColumn(timestamp('sales_start', true)),
      new TableColumn(timestamp('sales_end', true)),
      new TableColumn({ name: 'hidden', type: 'boolean', default: false }),
    ]);

    await queryRunner.createTable(
      new Table({
        name: 'event_codes',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'event_id', type: 'integer' },
          // Binary on MySQL: codes are upper-cased here, and a collation must not fold "Ä" into "A".
          { name: 'code', type: 'varchar', length: '40', collation: isMysql ? 'utf8mb4_bin' : undefined },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'discount_percent', type: 'integer', isNullable: true },
          { name: 'discount_amount', type: 'decimal', precision: 10, scale: 2, isNullable: true },
          { name: 'max_uses', type: 'integer', isNullable: true },
          { name: 'uses', type: 'integer', default: 0 },
          timestamp('valid_from', true),
          timestamp('valid_until', true),
          { name: 'ticket_category_ids', type: 'text', isNullable: true },
          timestamp('disabled_at', true),
          timestamp('created_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_event_codes_event_code', columnNames: ['event_id', 'code'] })],
        foreignKeys: [new TableForeignKey({ name: 'fk_event_codes_event', columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] })],
      }),
    );
    await addCheck(queryRunner, 'event_codes', 'chk_event_codes_uses', 'uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)');

    for (const table of ['bookings', 'holds']) {
      await queryRunner.addColumns(table, [
        new TableColumn({ name: 'code_id', type: 'integer', isNullable: true }),
        new TableColumn({ name: 'code', type: 'varchar', length: '40', isNullable: true }),
        new TableColumn({ name: 'discount_total', type: 'decimal', precision: 16, scale: 2, default: 0 }),
      ]);
      await queryRunner.createForeignKey(
        table,
        new TableForeignKey({ name: `fk_${table}_event_codes`, columnNames: ['code_id'], referencedTableName: 'event_codes', referencedColumnNames: ['id'] }),
      );
    }

    await queryRunner.addColumn('order_lines', new TableColumn({ name: 'original_unit_price', type: 'decimal', precision: 10, scale: 2, default: 0 }));
    await queryRunner.query('UPDATE order_lines SET original_unit_price = unit_price');

    await queryRunner.createTable(
      new Table({
        name: 'event_search_terms',
        columns: [
          { name: 'event_id', type: 'integer', isPrimary: true },
          // Binary on MySQL: terms are folded here (common/search-terms.ts); a collation would call "ß" and "s" one term.
          { name: 'term', type: 'varchar', length: '64', isPrimary: true, collation: isMysql ? 'utf8mb4_bin' : undefined },
          timestamp('date'),
        ],
        indices: [new TableIndex({ name: 'idx_event_search_terms_term_date', columnNames: ['term', 'date', 'event_id'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_event_search_terms_event', columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await indexExistingEvents(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('event_search_terms');
    await queryRunner.dropColumn('order_lines', 'original_unit_price');
    for (const table of ['bookings', 'holds']) {
      await queryRunner.dropForeignKey(table, `fk_${table}_event_codes`);
      await queryRunner.dropColumns(table, ['discount_total', 'code', 'code_id']);
    }
    await queryRunner.dropTable('event_codes');
    await queryRunner.dropColumns('ticket_categories', ['hidden', 'sales_end', 'sales_start']);
    await queryRunner.dropIndex('events', 'idx_events_date_id_status_venue');
    await queryRunner.dropColumns('events', ['currency', 'timezone']);
  }
}

async function indexExistingEvents(queryRunner: QueryRunner): Promise<void> {
  for (let afterId = 0; ; ) {
    const rows = (await queryRunner.query('SELECT id, name, venue, details, date FROM events WHERE id > ? ORDER BY id LIMIT ?', [afterId, BATCH])) as EventRow[];
    if (rows.length === 0) return;
    const terms = rows.flatMap((row) => searchTerms(row.name, row.venue, row.details).map((term) => [row.id, term, row.date]));
    for (let start = 0; start < terms.length; start += BATCH) {
      const batch = terms.slice(start, start + BATCH);
      await queryRunner.query(`INSERT INTO event_search_terms (event_id, term, date) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`, batch.flat());
    }
    afterId = Number(rows.at(-1)?.id);
  }
}
