import type { DataSource } from 'typeorm';

/**
 * Named after the database: GET_LOCK names are server-wide, and a migrator stuck on one database
 * must not stop instances of another database on the same server from starting (MySQL allows
 * 64 characters).
 */
const MIGRATION_LOCK = "LEFT(CONCAT('ticketing_api_migrations:', DATABASE()), 64)";
const MIGRATION_LOCK_WAIT_SECONDS = 60;

/**
 * Applies pending migrations. On MySQL several instances may start at once, so they take a
 * named lock first and run the migrations one instance at a time.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'mysql') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const queryRunner = dataSource.createQueryRunner();
  try {
    const [row] = (await queryRunner.query(`SELECT GET_LOCK(${MIGRATION_LOCK}, ?) AS acquired`, [
      MIGRATION_LOCK_WAIT_SECONDS,
    ])) as { acquired: number | string | null }[];
    if (Number(row?.acquired) !== 1) {
      throw new Error(`Could not take the migration lock within ${MIGRATION_LOCK_WAIT_SECONDS} s`);
    }
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await queryRunner.query(`SELECT RELEASE_LOCK(${MIGRATION_LOCK})`);
    }
  } finally {
    await queryRunner.release();
  }
}
