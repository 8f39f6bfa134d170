import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { dataSourceOptions } from './data-source-options.js';
import { Mysql2Replica, ReadReplicas } from './read-replicas.js';
import { runMigrations } from './run-migrations.js';
import { TransactionRunner } from './transaction-runner.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        ...dataSourceOptions({
          url: config.get('DATABASE_URL', { infer: true }),
          poolSize: config.get('DATABASE_POOL_SIZE', { infer: true }),
        }),
        autoLoadEntities: true,
        retryAttempts: 5,
        retryDelay: 2000,
      }),
      // The schema is brought up to date before anything can serve a request.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
  providers: [
    TransactionRunner,
    {
      provide: ReadReplicas,
      inject: [DataSource, ConfigService, MetricsService],
      useFactory: (dataSource: DataSource, config: ConfigService<Environment, true>, metrics: MetricsService) => {
        const poolSize = config.get('DATABASE_POOL_SIZE', { infer: true });
        const replicas = config.get('DATABASE_REPLICA_URLS', { infer: true }).map((url) => new Mysql2Replica(url, poolSize));
        return new ReadReplicas(dataSource, replicas, metrics);
      },
    },
  ],
  exports: [TransactionRunner, ReadReplicas],
})
export class DatabaseModule {}
