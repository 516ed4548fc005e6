// The ledger's file storage (JSONL, one line per record event): node:fs behind core's LedgerStorage interface.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LedgerStorage } from '../../core/ledger/record';

/** node:fs storage. Creates the directory; each append is written and synced to disk before it resolves. */
export function fileStorage(file: string): LedgerStorage {
  let dirReady: Promise<unknown> | undefined;
  return {
    async readAll() {
      try {
        return await fs.promises.readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
        throw e;
      }
    },
    async append(text: string) {
      dirReady ??= fs.promises.mkdir(path.dirname(file), { recursive: true }).catch((e) => {
        dirReady = undefined;
        throw e;
      });
      await dirReady;
      // 'a+' to read the last byte: another window (or a crash) may have left a half-written line, and a record
      // appended to it would be lost with it. Such a line is closed first.
      const fh = await fs.promises.open(file, 'a+');
      try {
        const { size } = await fh.stat();
        if (size > 0) {
          const last = Buffer.alloc(1);
          await fh.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) text = `\n${text}`;
        }
        await fh.appendFile(text, 'utf8');
        await fh.datasync();
      } finally {
        await fh.close();
      }
    },
  };
}
