// VS Code for the Web's host (the extension runs in the browser's web-worker extension host: no Node, no
// `process`): the tokenizer ranks read as JSON from dist/web/ with vscode.workspace.fs, the price library and
// OpenTelemetry bundled (imported on first use: no text is run as code), the ledger as segment files in the global
// storage, a Web Worker for big counts, SDK clients marked as a browser's. The price table is loaded before the
// shell starts, so nothing is ever priced without it.
import * as vscode from 'vscode';
import type { DataLoader } from '../../core/lazyData';
import { loadPrices } from '../../core/pricing/prices';
import { useBrowserClients } from '../../providers/browser';
import { WebWorkerCounter, type WebWorkerSource } from '../../platform/web/countWorker';
import { jsonRanksLoader } from '../../platform/web/data';
import { useWebHost } from '../../platform/web/host';
import { segmentStorage } from '../../platform/web/ledgerSegments';
import type { ShellHost } from './shellHost';
import { folderStore, webFileBytes, webFileText } from './webFiles';
import { collectorNotice, webNotices } from './webNotices';

/** core's data on the web: ranks from dist/web/ranks/<id>.json, the price library from the bundle. */
export function webDataLoader(extensionUri: vscode.Uri): DataLoader {
  const text = webFileText(extensionUri);
  return jsonRanksLoader(
    (chunk) => text(`${chunk}.json`),
    async (chunk) => {
      if (chunk === 'vendor/genai-prices') return import('@pydantic/genai-prices');
      throw new Error(`${chunk} is not in the web build`);
    },
  );
}

/** The counting Web Worker's source: its script, and the ranks' JSON it asks for (bytes, transferred). */
export function webWorkerSource(extensionUri: vscode.Uri): WebWorkerSource {
  const bytes = webFileBytes(extensionUri);
  const text = webFileText(extensionUri);
  return { script: () => text('countWorker.js'), chunk: (name) => bytes(`${name}.json`) };
}

export async function webHost(context: vscode.ExtensionContext): Promise<ShellHost> {
  useWebHost(webDataLoader(context.extensionUri));
  useBrowserClients();
  await loadPrices();
  const worker = webWorkerSource(context.extensionUri);
  return {
    kind: 'web',
    ledgerLocation: vscode.Uri.joinPath(context.globalStorageUri, 'ledger').toString(),
    ledgerStorage: (location, log) => segmentStorage(folderStore(vscode.Uri.parse(location)), undefined, (m) => log.warn(m)),
    offThreadCounter: (inThread, log) => new WebWorkerCounter(worker, inThread, (m) => log.warn(m)),
    loadOtel: () => import('../../telemetry/otel'),
    notices: webNotices,
    telemetryFailing: collectorNotice,
  };
}
