import type { TransactionRunner } from '../database/transaction-runner.js';
import { ManagerTransaction } from './ledger-transaction.js';
import { TransactionalLedger } from './transactional-ledger.js';
import type { WaitlistTerms } from './waitlist-offers.js';

/**
 * The seat ledger on the embedded SQLite database. SQLite has no row locks, and TypeORM's single
 * connection cannot interleave transactions: write transactions run one after another
 * (TransactionRunner), so the whole database is what each operation holds.
 */
export class SqliteSeatLedger extends TransactionalLedger {
  protected readonly locksRows = false;

  constructor(
    private readonly transactions: TransactionRunner,
    waitlist: WaitlistTerms,
  ) {
    super(waitlist);
  }

  protected inTransaction<T>(work: (tx: ManagerTransaction) => Promise<T>): Promise<T> {
    return this.transactions.run((manager) => ManagerTransaction.run(manager, false, work));
  }
}
