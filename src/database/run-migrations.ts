import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

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
  const lock = migrationLockName(String(dataSource.options.database));
  const queryRunner = dataSource.createQueryRunner();
  try {
    const [row] = (await queryRunner.query('SELECT GET_LOCK(?, ?) AS acquired', [lock, MIGRATION_LOCK_WAIT_SECONDS])) as {
      acquired: number | string | null;
    }[];
    if (Number(row?.acquired) !== 1) {
      throw new Error(`Could not take the migration lock within ${MIGRATION_LOCK_WAIT_SECONDS} s`);
    }
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await queryRunner.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    await queryRunner.release();
  }
}

/**
 * Named locks are server-wide, so the name carries the database: instances of other databases on
 * the same server never wait for each other. Hashed to stay within the 64-character limit.
 */
function migrationLockName(database: string): string {
  return `ticketing_migrations_${createHash('sha256').update(database).digest('hex').slice(0, 32)}`;
}
