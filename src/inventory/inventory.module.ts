import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { DatabaseModule } from '../database/database.module.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { AnnouncingLedger } from './announcing-ledger.js';
import { Booking } from './booking.entity.js';
import { EventCode } from './event-code.entity.js';
import { Hold } from './hold.entity.js';
import { MysqlSeatLedger } from './mysql/mysql-seat-ledger.js';
import { OrderLine } from './order-line.entity.js';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { SeatChanges } from './seat-changes.js';
import { SEAT_LEDGER, type SeatLedger } from './seat-ledger.js';
import { SqliteSeatLedger } from './sqlite-seat-ledger.js';
import { TicketCategory } from './ticket-category.entity.js';
import { Ticket } from './ticket.entity.js';
import { WaitlistEntry } from './waitlist-entry.entity.js';

/** The seat ledger behind its port, with the adapter for the configured database, and the tables it keeps (and the outbox it announces in). */
@Module({
  imports: [TypeOrmModule.forFeature([TicketCategory, Booking, Hold, OrderLine, Ticket, EventCode, WaitlistEntry, OutboxMessage]), DatabaseModule],
  providers: [
    SeatChanges,
    {
      provide: SEAT_LEDGER,
      inject: [DataSource, TransactionRunner, ConfigService, SeatChanges],
      useFactory: (dataSource: DataSource, transactions: TransactionRunner, config: ConfigService<Environment, true>, changes: SeatChanges) => {
        const waitlist = { offerTtlMs: config.get('WAITLIST_OFFER_TTL_SECONDS', { infer: true }) * 1000 };
        const adapter: SeatLedger = transactions.isSqlite
          ? new SqliteSeatLedger(transactions, waitlist)
          : new MysqlSeatLedger(
              dataSource,
              transactions,
              config.get('BOOKING_COALESCING', { infer: true }) === 'on',
              config.get('LOCK_WAIT_TIMEOUT_SECONDS', { infer: true }) * 1000,
              waitlist,
            );
        return new AnnouncingLedger(adapter, changes);
      },
    },
  ],
  exports: [SEAT_LEDGER, SeatChanges, TypeOrmModule],
})
export class InventoryModule {}
