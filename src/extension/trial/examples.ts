// The examples of a trial, each one prompt: files (paths, a glob, a folder, or what is selected in the Explorer) or
// the editor's selections (multi-cursor). Files are read as UTF-8 text within a size bound; an empty one is skipped
// and named, anything unreadable refuses the trial with its name (nothing is sent).
import * as vscode from 'vscode';
import { MAX_JOB_REQUESTS } from '../../core/generation/jobs/consent';
import type { TrialExample } from '../../core/generation/trial/plan';
import { refused as refuse } from './tell';

/** A prompt file is read up to this size (about 2M tokens, the largest context windows). */
const MAX_EXAMPLE_BYTES = 8 * 1024 * 1024;
/** A glob: any of these characters. */
const GLOB = /[*?[\]{}]/;
const EXCLUDE = '**/{node_modules,.git}/**';

export interface Examples {
  examples: TrialExample[];
  /** Files left out because they hold no text. */
  skipped: string[];
}

const folderUri = () => vscode.workspace.workspaceFolders?.[0]?.uri;

/** A path as given: absolute, a URI, or relative to the (first) workspace folder. */
function uriOf(p: string): vscode.Uri {
  if (/^[a-z][\w+.-]*:\/\//i.test(p) && !/^[a-z]:[\\/]/i.test(p)) return vscode.Uri.parse(p, true);
  if (p.startsWith('/') || /^[a-z]:[\\/]/i.test(p)) return vscode.Uri.file(p);
  const folder = folderUri();
  if (!folder) throw refuse(vscode.l10n.t('"{0}" is relative, and no folder is open: give the full path. Nothing was sent.', p));
  return vscode.Uri.joinPath(folder, p);
}

async function filesIn(pattern: vscode.GlobPattern): Promise<vscode.Uri[]> {
  // One more than a trial may hold, so "too many" is told with the cap rather than cut silently.
  const found = await vscode.workspace.findFiles(pattern, EXCLUDE, MAX_JOB_REQUESTS + 1);
  return found.sort((a, b) => a.toString().localeCompare(b.toString()));
}

/** Folders stand for every file in them, globs for the files they match; in the order given, each file once. */
async function expand(uris: readonly (vscode.Uri | { glob: string })[]): Promise<vscode.Uri[]> {
  const out = new Map<string, vscode.Uri>();
  for (const u of uris) {
    let files: vscode.Uri[];
    if ('glob' in u) {
      const folder = folderUri();
      files = await filesIn(folder ? new vscode.RelativePattern(folder, u.glob) : u.glob);
      if (!files.length) throw refuse(vscode.l10n.t('No file matches "{0}". Nothing was sent.', u.glob));
    } else {
      const stat = await vscode.workspace.fs.stat(u).then(undefined, () => undefined);
      if (!stat) throw refuse(vscode.l10n.t('There is no file {0}. Nothing was sent.', vscode.workspace.asRelativePath(u, false)));
      files = stat.type & vscode.FileType.Directory ? await filesIn(new vscode.RelativePattern(u, '**/*')) : [u];
    }
    for (const f of files) out.set(f.toString(), f);
    if (out.size > MAX_JOB_REQUESTS) break;
  }
  return [...out.values()];
}

/** A prompt file's text (an open document's as it stands), within the size bound; refuses what is not UTF-8 text. */
export async function readExample(uri: vscode.Uri): Promise<string> {
  const name = vscode.workspace.asRelativePath(uri, false);
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_EXAMPLE_BYTES) throw refuse(vscode.l10n.t('{0} is {1} MB, more than a prompt can be ({2} MB). Nothing was sent.', name, (stat.size / 1048576).toFixed(1), MAX_EXAMPLE_BYTES / 1048576));
  // An open document's text is what the user sees (unsaved edits included).
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    throw refuse(vscode.l10n.t('{0} is not UTF-8 text, so it cannot be a prompt. Nothing was sent.', name));
  }
}

/** The files (or folders, or globs) given, read. */
export async function examplesFrom(items: readonly (string | vscode.Uri)[]): Promise<Examples> {
  const uris = await expand(items.map((x) => (typeof x !== 'string' ? x : GLOB.test(x) ? { glob: x } : uriOf(x))));
  const examples: TrialExample[] = [];
  const skipped: string[] = [];
  for (const uri of uris.slice(0, MAX_JOB_REQUESTS + 1)) {
    const text = await readExample(uri);
    const name = vscode.workspace.asRelativePath(uri, false);
    if (text.trim()) examples.push({ name, uri: uri.toString(), text });
    else skipped.push(name);
  }
  if (!examples.length) throw refuse(vscode.l10n.t('The examples hold no text (empty: {0}). Nothing was sent.', skipped.join(', ')));
  return { examples, skipped };
}

/** Each non-empty selection of the editor, in document order. */
export function examplesFromSelections(editor: vscode.TextEditor): TrialExample[] {
  const doc = editor.document;
  const file = vscode.workspace.asRelativePath(doc.uri, false);
  return editor.selections
    .filter((s) => !s.isEmpty && doc.getText(s).trim())
    .sort((a, b) => a.start.compareTo(b.start))
    .map((s, i) => ({ name: `selection ${i + 1} (${file}:${s.start.line + 1})`, text: doc.getText(s) }));
}

/** Palette: the selections, files matching a glob, or a folder; undefined = the user went away. */
export async function pickExamples(): Promise<Examples | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selections = editor ? examplesFromSelections(editor) : [];
  type Item = vscode.QuickPickItem & { source: 'selections' | 'glob' | 'folder' };
  const items: Item[] = [
    ...(selections.length ? [{ label: vscode.l10n.t('$(selection) The current selections'), description: vscode.l10n.t('{0} in {1}', selections.length, vscode.workspace.asRelativePath(editor!.document.uri, false)), source: 'selections' as const }] : []),
    { label: vscode.l10n.t('$(files) Files matching a pattern…'), description: vscode.l10n.t('each file is one prompt, e.g. prompts/**/*.md'), source: 'glob' },
    { label: vscode.l10n.t('$(folder) Every file in a folder…'), source: 'folder' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Lengthwise: Try Preset on Examples — which examples?') });
  if (!pick) return undefined;
  if (pick.source === 'selections') return { examples: selections, skipped: [] };
  if (pick.source === 'glob') {
    const glob = await vscode.window.showInputBox({
      title: vscode.l10n.t('Lengthwise: Try Preset on Examples'),
      prompt: vscode.l10n.t('Files to try the preset on, each one prompt: a glob relative to the workspace folder.'),
      value: 'prompts/**/*.md',
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Give a pattern, e.g. prompts/**/*.md')),
    });
    return glob === undefined ? undefined : examplesFrom([glob.trim()]);
  }
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: folderUri(), openLabel: vscode.l10n.t('Try on these files') });
  return folder?.[0] ? examplesFrom([folder[0]]) : undefined;
}
