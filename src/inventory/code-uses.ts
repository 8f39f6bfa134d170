import { addCodeUses } from './ledger-statements.js';
import type { LedgerTransaction } from './ledger-transaction.js';

/**
 * The uses one transaction takes from and gives back to codes, written at the end in ascending
 * code id: each UPDATE takes its row's lock, so codes are locked in one order by every operation,
 * as categories are, and always after them.
 */
export class CodeUseChanges {
  private readonly uses = new Map<number, number>();

  take(codeId: number): void {
    this.add(codeId, 1);
  }

  giveBack(codeId: number | null): void {
    if (codeId !== null) this.add(codeId, -1);
  }

  /** What this transaction has changed of the code's uses so far. */
  pending(codeId: number): number {
    return this.uses.get(codeId) ?? 0;
  }

  /** The codes changed, in ascending id order. */
  ids(): number[] {
    return [...this.uses.keys()].sort((a, b) => a - b);
  }

  /** Sent with the commit. */
  write(tx: LedgerTransaction): void {
    for (const id of this.ids()) {
      const uses = this.uses.get(id) ?? 0;
      if (uses !== 0) void tx.write(addCodeUses.statement(tx.dataSource, { uses, id }));
    }
  }

  private add(codeId: number, uses: number): void {
    this.uses.set(codeId, (this.uses.get(codeId) ?? 0) + uses);
  }
}
