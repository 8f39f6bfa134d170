import { TableCheck, type QueryRunner } from 'typeorm';

/**
 * TypeORM's MySQL driver silently ignores CHECKs in createTable and refuses createCheckConstraint,
 * although MySQL 8.0.16+ and MariaDB enforce them; so on MySQL they are added with plain SQL.
 */
export async function addCheck(queryRunner: QueryRunner, table: string, name: string, expression: string): Promise<void> {
  if (queryRunner.connection.options.type === 'mysql') {
    await queryRunner.query(`ALTER TABLE \`${table}\` ADD CONSTRAINT \`${name}\` CHECK (${expression})`);
    return;
  }
  await queryRunner.createCheckConstraint(table, new TableCheck({ name, expression }));
}

export async function dropCheck(queryRunner: QueryRunner, table: string, name: string): Promise<void> {
  if (queryRunner.connection.options.type === 'mysql') {
    await queryRunner.query(`ALTER TABLE \`${table}\` DROP CONSTRAINT \`${name}\``);
    return;
  }
  await queryRunner.dropCheckConstraint(table, name);
}
