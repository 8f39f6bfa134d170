import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './src/config/environment.js';
import { dataSourceOptions } from './src/database/data-source-options.js';

/** The DataSource the TypeORM CLI uses (migration:run, migration:generate, …); same settings as the app. */
const environment = validateEnvironment(process.env);

export default new DataSource(
  dataSourceOptions({ url: environment.DATABASE_URL, poolSize: environment.DATABASE_POOL_SIZE }),
);
