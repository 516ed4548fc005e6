// Test doubles for core's ledger: storage in memory (the product's is a file, src/platform/node/ledgerFile.ts) and
// record ids (the product's come from src/extension/send/ids.ts).
import type { LedgerStorage } from '../src/core/ledger/record';

/** The ledger's storage in a string; `text` is what a file would hold. */
export function memoryStorage(initial = ''): LedgerStorage & { text: string } {
  const s = {
    text: initial,
    async readAll() {
      return s.text;
    },
    async append(t: string) {
      s.text += t;
    },
  };
  return s;
}

export function newRecordId(): string {
  return globalThis.crypto.randomUUID();
}
