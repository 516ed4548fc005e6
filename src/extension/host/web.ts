// VS Code for the Web's host (the extension runs in the browser's web-worker extension host: no Node, no
// `process`): data and code chunks read from dist/web/ with vscode.workspace.fs, the ledger as segment files in the
// global storage, a Web Worker for big counts, SDK clients marked as a browser's. The price table is loaded before
// the shell starts, so nothing is ever priced without it.
import * as vscode from 'vscode';
import { loadPrices } from '../../core/pricing/prices';
import { useBrowserClients } from '../../providers/browser';
import { evaluateChunk } from '../../platform/web/chunks';
import { WebWorkerCounter } from '../../platform/web/countWorker';
import { useWebHost } from '../../platform/web/host';
import { segmentStorage } from '../../platform/web/ledgerSegments';
import type { OtelModule } from '../../telemetry/telemetry';
import type { ShellHost } from './shellHost';
import { chunkBytes, chunkReader, folderStore } from './webFiles';
import { collectorNotice, webNotices } from './webNotices';

export async function webHost(context: vscode.ExtensionContext): Promise<ShellHost> {
  const read = chunkReader(context.extensionUri);
  const bytes = chunkBytes(context.extensionUri);
  useWebHost(read);
  useBrowserClients();
  await loadPrices();
  return {
    kind: 'web',
    ledgerLocation: vscode.Uri.joinPath(context.globalStorageUri, 'ledger').toString(),
    ledgerStorage: (location, log) => segmentStorage(folderStore(vscode.Uri.parse(location)), undefined, (m) => log.warn(m)),
    offThreadCounter: (inThread, log) => new WebWorkerCounter({ script: () => read('countWorker'), chunk: bytes }, inThread, (m) => log.warn(m)),
    loadOtel: async () => evaluateChunk<OtelModule>(await read('telemetry/otel'), 'telemetry/otel'),
    notices: webNotices,
    telemetryFailing: collectorNotice,
  };
}
