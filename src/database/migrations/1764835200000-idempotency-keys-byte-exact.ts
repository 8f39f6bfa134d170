import type { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Idempotency keys compare byte for byte on both databases. MySQL's default collation ignored case,
 * so `casekey-x` replayed the answer given to `CaseKey-X`; SQLite already compares bytes. A binary
 * collation still ignores trailing spaces (PAD SPACE), but a key never ends in one: HTTP strips them
 * from header values.
 */
export class IdempotencyKeysByteExact1764835200000 implements MigrationInterface {
  name = 'IdempotencyKeysByteExact1764835200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await setKeyCollation(queryRunner, 'utf8mb4_bin');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await setKeyCollation(queryRunner, undefined);
  }
}

/** `undefined` gives the column the table's default collation back. */
async function setKeyCollation(queryRunner: QueryRunner, collation: string | undefined): Promise<void> {
  if (queryRunner.connection.options.type !== 'mysql') return;
  const table = await queryRunner.getTable('idempotency_keys');
  const column = table?.findColumnByName('key');
  if (!table || !column) throw new Error('idempotency_keys.key is missing');
  const changed: TableColumn = column.clone();
  changed.collation = collation;
  await queryRunner.changeColumn(table, column, changed);
}
