import '../lifecycle/supported-runtime.js';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigurationError, validateEnvironment } from '../config/environment.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { runMigrations } from '../database/run-migrations.js';
import { ApiKey } from '../organizers/api-key.entity.js';
import { ApiKeyStore, UnknownOrganizerError } from '../organizers/api-key-store.js';
import { Organizer } from '../organizers/organizer.entity.js';

const USAGE = `Usage: npm run --silent organizers -- <command>
  create NAME        create an organiser and print its first API key (shown once)
  key NAME           print a new API key for the organiser
  revoke KEY_PREFIX  revoke the keys starting with KEY_PREFIX (as list shows it)
  list               organisers and their keys' prefixes; never the keys`;

const MIN_REVOKE_PREFIX = 6;

async function run(store: ApiKeyStore, [command, argument]: string[]): Promise<number> {
  if (command === 'create' && argument) {
    console.log(await store.createOrganizer(argument));
    return 0;
  }
  if (command === 'key' && argument) {
    console.log(await store.addKey(argument));
    return 0;
  }
  if (command === 'revoke' && argument && argument.length >= MIN_REVOKE_PREFIX) {
    const revoked = await store.revoke(argument);
    console.error(`Revoked ${revoked} key${revoked === 1 ? '' : 's'}.`);
    return revoked > 0 ? 0 : 1;
  }
  if (command === 'list') {
    for (const organizer of await store.list()) {
      console.log(organizer.name);
      for (const key of organizer.keys) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
        console.log(`  ${key.prefix}…  created ${key.createdAt.toISOString()}  ${state}`);
      }
    }
    return 0;
  }
  console.error(USAGE);
  return 2;
}

async function main(): Promise<number> {
  const environment = validateEnvironment(process.env);
  const dataSource = await new DataSource(
    // Two connections: one holds the migration lock while the other migrates.
    dataSourceOptions({ url: environment.DATABASE_URL, poolSize: 2, entities: [Organizer, ApiKey] }),
  ).initialize();
  try {
    await runMigrations(dataSource);
    return await run(new ApiKeyStore(dataSource), process.argv.slice(2));
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const expected = error instanceof ConfigurationError || error instanceof UnknownOrganizerError;
    console.error(expected ? error.message : error);
    process.exit(1);
  },
);
