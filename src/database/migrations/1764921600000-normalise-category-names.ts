import type { MigrationInterface, QueryRunner } from 'typeorm';
import { normaliseName } from '../../common/names.js';

const BATCH = 1_000;

interface CategoryRow {
  id: number | string;
  event_id: number | string;
  name: string;
}

/**
 * Category names are now stored trimmed and in Unicode NFC (common/names.ts); names stored before
 * are brought to that form, so "VIP " stays bookable as "VIP". A name whose normal form another
 * category of the same event already has is left as it is. The comparison happens here rather
 * than in SQL: MariaDB's PAD SPACE collation calls "VIP " and "VIP" equal.
 */
export class NormaliseCategoryNames1764921600000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    for (let afterId = 0; ; ) {
      const rows = (await queryRunner.query('SELECT id, event_id, name FROM ticket_categories WHERE id > ? ORDER BY id LIMIT ?', [afterId, BATCH])) as CategoryRow[];
      if (rows.length === 0) return;
      for (const row of rows) await normalise(queryRunner, row);
      afterId = Number(rows.at(-1)?.id);
    }
  }

  async down(): Promise<void> {
    // A name's earlier spelling is not kept; the normal form reads the same, so there is nothing to undo.
  }
}

async function normalise(queryRunner: QueryRunner, { id, event_id: eventId, name }: CategoryRow): Promise<void> {
  const normal = normaliseName(name);
  if (normal === name) return;
  const key = normal.toLowerCase();
  const others = (await queryRunner.query('SELECT id, name_key FROM ticket_categories WHERE event_id = ? AND id <> ?', [eventId, id])) as { name_key: string }[];
  if (others.some((other) => other.name_key === key)) return;
  await queryRunner.query('UPDATE ticket_categories SET name = ?, name_key = ? WHERE id = ?', [normal, key, id]);
}
