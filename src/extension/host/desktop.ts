// The desktop's host (Node): the ledger as one JSONL file appended and synced, a worker thread for big counts, the
// lazy chunks beside dist/extension.js read with require.
import * as vscode from 'vscode';
import { useNodeHost } from '../../platform/node/host';
import { fileStorage } from '../../platform/node/ledgerFile';
import { WorkerCounter } from '../../platform/node/countWorker';
import { loadOtelChunk } from '../../platform/node/lazyChunk';
import type { ShellHost } from './shellHost';

export function desktopHost(context: vscode.ExtensionContext): ShellHost {
  useNodeHost();
  return {
    kind: 'desktop',
    ledgerLocation: vscode.Uri.joinPath(context.globalStorageUri, 'ledger.jsonl').fsPath,
    ledgerStorage: (file) => fileStorage(file),
    offThreadCounter: () => new WorkerCounter(),
    loadOtel: async () => loadOtelChunk(),
    notices: () => [],
  };
}
