// The spend ledger in a browser (VS Code for the Web): core's LedgerStorage over a folder of files that can only be
// written whole (vscode.workspace.fs: no append, no sync). Each window writes its own segment files, so no two
// writers share a file. A segment is rewritten whole on each append, alternating two slots (a, b), each ending in a
// trailer line with its generation and the length of the text before it: a crash mid-write leaves the other slot's
// previous generation intact, and the torn slot's extra text is read back after it, where the ledger reports a
// torn line as it does on the desktop. Nothing that was written before is lost.
//
// Reading takes every segment's newest complete generation, in name order (sessions are named by their start time,
// so older records come first). Other windows' segments pile up over time: when there are many, they are merged
// into one archive (same trailer), and only after the archive is written are they removed. A record line that ends
// up twice (a crash between the two steps, two windows merging at once, a window that writes again after its
// segment was merged) is harmless: the ledger keeps one record per id, and the merge drops repeated lines.
import type { LedgerStorage } from '../../core/ledger/record';

/** A folder's files, by name (the shell gives vscode.workspace.fs under the extension's global storage). */
export interface SegmentStore {
  /** File names in the folder; [] when the folder does not exist. */
  list(): Promise<string[]>;
  /** The file's text; undefined when it does not exist (another window removed it). */
  read(name: string): Promise<string | undefined>;
  /** Writes the file whole (creating the folder when needed). */
  write(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
}

/** A segment is rewritten whole on each append: past this size the session starts its next part. */
export const PART_CHARS = 256 * 1024;
/** Other windows' files are merged into one archive once there are this many. */
export const MERGE_AT_FILES = 16;

/** Starts the trailer line: no ledger line starts with '#' (they are JSON objects), so even a torn trailer is known. */
const TRAILER = '#lengthwise-segment ';
const SEGMENT = /^seg-([0-9a-z]{9}-[0-9a-f]{8})-(\d{4})-([ab])\.jsonl$/;
const ARCHIVE = /^arc-[0-9a-z]{9}-[0-9a-f]{8}\.jsonl$/;

interface Slot {
  name: string;
  text: string;
  /** The content when the trailer checks out; undefined for a torn write. */
  content?: string;
  gen: number;
}

/** A new id per window: its start time (so names sort oldest first) and 32 random bits. */
export function newSessionId(now = Date.now()): string {
  const r = crypto.getRandomValues(new Uint32Array(1))[0]!;
  return `${now.toString(36).padStart(9, '0')}-${r.toString(16).padStart(8, '0')}`;
}

function trailer(gen: number, chars: number): string {
  return `${TRAILER}${JSON.stringify({ gen, chars })}\n`;
}

/** Reads a file's trailer (its last line, bounded): the content and generation when the lengths agree. */
export function parseSlot(name: string, text: string): Slot {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const at = body.lastIndexOf('\n', body.length - 1) + 1;
  const last = body.slice(at);
  if (last.length <= 200 && last.startsWith(TRAILER)) {
    try {
      const t = JSON.parse(last.slice(TRAILER.length)) as { gen?: unknown; chars?: unknown } | null;
      if (typeof t?.gen === 'number' && t.chars === at && text.endsWith('\n')) return { name, text, content: text.slice(0, at), gen: t.gen };
    } catch {
      // a torn trailer: the write did not finish
    }
  }
  return { name, text, gen: -1 };
}

/** The text a torn write left after `content`, without a partial trailer; '' when it is not an extension of it. */
function tornTail(torn: Slot, content: string): string {
  if (!torn.text.startsWith(content)) return '';
  const tail = torn.text.slice(content.length);
  const at = tail.lastIndexOf('\n') + 1;
  return tail[at] === '#' ? tail.slice(0, at) : tail;
}

/** One segment's text from its slots: the newest complete generation, then what a torn newer write left. */
export function segmentText(slots: Slot[]): string {
  const complete = slots.filter((s) => s.content !== undefined).sort((a, b) => b.gen - a.gen)[0];
  const torn = slots.filter((s) => s.content === undefined).sort((a, b) => b.text.length - a.text.length)[0];
  if (!complete) return torn ? tornTail(torn, '') : '';
  return complete.content! + (torn ? tornTail(torn, complete.content!) : '');
}

export interface SegmentLedger extends LedgerStorage {
  /** This window's session id (its files are seg-<session>-…). */
  readonly session: string;
}

/**
 * The ledger storage of one window over `store`. `warn` hears of a merge that failed (nothing is lost: the files
 * stay as they were, and the next read merges again).
 */
export function segmentStorage(store: SegmentStore, session: string = newSessionId(), warn: (message: string) => void = () => undefined): SegmentLedger {
  // This window's current part: all it holds (`written`: how much of it is on disk), its generation and slot.
  const own = { part: 0, content: '', written: 0, gen: 0, slot: 'b' as 'a' | 'b' };
  // Reads, merges and writes of this window one at a time: a merge never removes a file a read is about to open.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };
  return {
    session,
    readAll: () => serial(() => readAndMerge(store, session, warn)),
    append: (text: string) =>
      serial(async () => {
        if (own.written > 0 && own.content.length + text.length > PART_CHARS) Object.assign(own, { part: own.part + 1, content: '', written: 0, gen: 0, slot: 'b' });
        // Kept even if this write fails: the next one writes it again (the caller is told of the failure).
        own.content += text;
        const slot = own.slot === 'a' ? 'b' : 'a';
        const name = `seg-${session}-${String(own.part).padStart(4, '0')}-${slot}.jsonl`;
        const content = own.content;
        await store.write(name, content + trailer(own.gen + 1, content.length));
        Object.assign(own, { written: content.length, gen: own.gen + 1, slot });
      }),
  };
}

interface Listed {
  /** Segment groups (by name without the slot) and archives, in name order. */
  groups: Map<string, string[]>;
  /** Files of other windows (and archives): what a merge would replace. */
  others: string[];
}

function listed(names: string[], session: string): Listed {
  const groups = new Map<string, string[]>();
  const others: string[] = [];
  for (const name of [...names].sort()) {
    const seg = SEGMENT.exec(name);
    if (!seg && !ARCHIVE.test(name)) continue; // not the ledger's (a temp file of the file system, a note)
    const key = seg ? name.slice(0, -'-a.jsonl'.length) : name;
    groups.set(key, [...(groups.get(key) ?? []), name]);
    if (!seg || seg[1] !== session) others.push(name);
  }
  return { groups, others };
}

/** Every group's text in name order; undefined when a listed file is gone (another window merged it: list again). */
async function readGroups(store: SegmentStore, l: Listed): Promise<Map<string, string> | undefined> {
  const out = new Map<string, string>();
  for (const [key, names] of l.groups) {
    const slots: Slot[] = [];
    for (const name of names) {
      const text = await store.read(name);
      if (text === undefined) return undefined;
      slots.push(parseSlot(name, text));
    }
    // An archive is whole or not there: a torn one is left over from a merge whose inputs still exist.
    if (ARCHIVE.test(key)) out.set(key, slots[0]!.content ?? '');
    else out.set(key, segmentText(slots));
  }
  return out;
}

async function readAndMerge(store: SegmentStore, session: string, warn: (message: string) => void): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const l = listed(await store.list(), session);
    const texts = await readGroups(store, l);
    if (!texts) {
      if (attempt < 3) continue;
      throw new Error('the ledger folder kept changing while it was read (other windows merging it)');
    }
    if (l.others.length >= MERGE_AT_FILES) {
      await merge(store, l, texts).catch((e: unknown) => warn(`ledger: merging ${l.others.length} files of other windows failed (${e instanceof Error ? e.message : String(e)}); nothing is lost, the next read tries again.`));
    }
    // A torn segment may end mid-line: the next one starts on a line of its own.
    return [...texts.values()].map((t) => (t && !t.endsWith('\n') ? `${t}\n` : t)).join('');
  }
}

/** Writes other windows' segments and the archives as one archive, then removes them. */
async function merge(store: SegmentStore, l: Listed, texts: Map<string, string>): Promise<void> {
  const seen = new Set<string>();
  let content = '';
  for (const [key, names] of l.groups) {
    if (!names.some((n) => l.others.includes(n))) continue;
    for (const line of (texts.get(key) ?? '').split('\n')) {
      if (!line || seen.has(line)) continue;
      seen.add(line);
      content += `${line}\n`;
    }
  }
  const name = `arc-${newSessionId()}.jsonl`;
  await store.write(name, content + trailer(0, content.length));
  for (const n of l.others) await store.remove(n);
}
