// Files in VS Code for the Web, through vscode.workspace.fs (the only file access a web-worker extension has): the
// extension's own files under dist/web/ (the counting worker's script, the ranks' JSON), and the ledger's folder under its global storage (kept by the workbench:
// the browser's storage on vscode.dev, the server's disk under a VS Code server).
import * as vscode from 'vscode';
import type { SegmentStore } from '../../platform/web/ledgerSegments';

const utf8 = new TextDecoder();
const bytes = new TextEncoder();

const missing = (e: unknown) => e instanceof vscode.FileSystemError && e.code === 'FileNotFound';

/** Reads the extension's dist/web/<file> (a name the shell chose, never a user's): bytes that own their buffer (it
 * may be transferred to a worker). */
export function webFileBytes(extensionUri: vscode.Uri): (file: string) => Promise<Uint8Array> {
  const web = vscode.Uri.joinPath(extensionUri, 'dist', 'web');
  return async (file) => {
    const b = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(web, file));
    return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
  };
}

/** The same, as text. */
export function webFileText(extensionUri: vscode.Uri): (file: string) => Promise<string> {
  const bytes = webFileBytes(extensionUri);
  return async (file) => utf8.decode(await bytes(file));
}

/** The ledger's folder as the web ledger's store (src/platform/web/ledgerSegments.ts). */
export function folderStore(folder: vscode.Uri): SegmentStore {
  const fs = vscode.workspace.fs;
  let made: Thenable<void> | undefined;
  return {
    async list() {
      try {
        return (await fs.readDirectory(folder)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
      } catch (e) {
        if (missing(e)) return [];
        throw e;
      }
    },
    async read(name) {
      try {
        return utf8.decode(await fs.readFile(vscode.Uri.joinPath(folder, name)));
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
    },
    async write(name, text) {
      made ??= fs.createDirectory(folder);
      await made;
      await fs.writeFile(vscode.Uri.joinPath(folder, name), bytes.encode(text));
    },
    async remove(name) {
      try {
        await fs.delete(vscode.Uri.joinPath(folder, name));
      } catch (e) {
        if (!missing(e)) throw e;
      }
    },
  };
}
