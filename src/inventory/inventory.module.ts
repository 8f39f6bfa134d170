import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { DatabaseModule } from '../database/database.module.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { Booking } from './booking.entity.js';
import { Hold } from './hold.entity.js';
import { MysqlSeatLedger } from './mysql/mysql-seat-ledger.js';
import { OrderLine } from './order-line.entity.js';
import { SEAT_LEDGER } from './seat-ledger.js';
import { SqliteSeatLedger } from './sqlite-seat-ledger.js';
import { TicketCategory } from './ticket-category.entity.js';
import { Ticket } from './ticket.entity.js';

/** The seat ledger behind its port, with the adapter for the configured database, and the tables it keeps. */
@Module({
  imports: [TypeOrmModule.forFeature([TicketCategory, Booking, Hold, OrderLine, Ticket]), DatabaseModule],
  providers: [
    {
      provide: SEAT_LEDGER,
      inject: [DataSource, TransactionRunner, ConfigService],
      useFactory: (dataSource: DataSource, transactions: TransactionRunner, config: ConfigService<Environment, true>) =>
        transactions.isSqlite
          ? new SqliteSeatLedger(transactions)
          : new MysqlSeatLedger(
              dataSource,
              transactions,
              config.get('BOOKING_COALESCING', { infer: true }) === 'on',
              config.get('LOCK_WAIT_TIMEOUT_SECONDS', { infer: true }) * 1000,
            ),
    },
  ],
  exports: [SEAT_LEDGER, TypeOrmModule],
})
export class InventoryModule {}
