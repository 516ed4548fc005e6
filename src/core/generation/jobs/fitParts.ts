// Parts sized by the tokenizer that will read them. The split (split.ts) counts synchronously, thousands of times,
// so it counts with the local tokenizer scaled to the server's: the ratio of the server's count of the whole input
// to the local one. Where the server has its own tokenizer (core/models/serverTokens.ts) every part is then counted
// by it, and a part over the limit makes the whole input be cut again with the larger ratio (a few rounds at most):
// the parts' token counts are then the server's own. Without it, parts are sized with a stated margin, and a part
// the server still refuses for length is cut smaller once more when it is sent (resplitSize, liveJob.ts).
import { splitTextAsync, type SplitOptions, type TextPart } from './split';

/** Parts sized by an estimate keep this share free: a tokenizer Lengthwise cannot see (a local server's model). */
export const ESTIMATE_MARGIN = 0.15;
/** With the server's own counts to check against, the first cut keeps only this share free. */
const CHECKED_MARGIN = 0.05;
/** Cuts of the whole input before the parts are taken as they are (a part still too large is cut again when refused). */
const MAX_ROUNDS = 3;
/** Parts counted by the server at once. */
const COUNT_CONCURRENCY = 4;

export interface FitOptions extends Omit<SplitOptions, 'count'> {
  /** The local count (o200k or the model's own). */
  count(t: string): number;
  /** The server's own count of a text; undefined = it has none, or it did not answer. */
  exact?(t: string): Promise<number | undefined>;
  /** Without the server's counts: the share kept free (ESTIMATE_MARGIN for a tokenizer Lengthwise cannot see, 0 for the model's own). */
  estimateMargin?: number;
}

export interface FittedParts {
  parts: TextPart[];
  /** Every part's `tokens` is the server's own count (else the local count, scaled when the server counted the whole). */
  exact: boolean;
  /** Server tokens per local token over the whole input (1 when the server did not count). */
  ratio: number;
  /** The share kept free because the parts' sizes are estimates (0 when they are the server's counts). */
  margin: number;
}

export async function fitParts(text: string, o: FitOptions): Promise<FittedParts> {
  const whole = o.exact ? await o.exact(text) : undefined;
  if (whole === undefined) {
    const margin = o.estimateMargin ?? 0;
    const parts = await splitTextAsync(text, sized(o, Math.floor(o.maxTokens / (1 + margin))));
    return { parts, exact: false, ratio: 1, margin };
  }
  // The whole input's local count, when known, was made off this thread (a big selection): not counted again here.
  const local = o.wholeTokens ?? o.count(text);
  let ratio = local > 0 ? Math.max(whole / local, 0.01) : 1;
  let parts: TextPart[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const r = ratio;
    const scaled = (t: string) => Math.ceil(o.count(t) * r);
    // Counts in the server's unit: the local ones scaled, the worker's too (long texts stay off this thread).
    const countAsync = o.countAsync && (async (t: string) => ((n) => (n === undefined ? undefined : Math.ceil(n * r)))(await o.countAsync!(t)));
    parts = await splitTextAsync(text, { ...sized(o, Math.floor(o.maxTokens * (1 - CHECKED_MARGIN))), count: scaled, wholeTokens: Math.ceil(local * r), countAsync });
    const counts = await countAll(parts, o.exact!);
    if (counts.some((c) => c === undefined)) return { parts, exact: false, ratio, margin: CHECKED_MARGIN };
    const worst = Math.max(...parts.map((p, i) => counts[i]! / Math.max(1, p.tokens)));
    parts = parts.map((p, i) => ({ ...p, tokens: counts[i]! }));
    if (parts.every((p) => p.tokens <= o.maxTokens)) return { parts, exact: true, ratio, margin: 0 };
    ratio *= Math.max(1.02, worst * 1.02);
  }
  return { parts, exact: true, ratio, margin: 0 };
}

/** The split's options for parts of at most `max` tokens; the overlap stays at most half a part (split.ts's rule). */
function sized(o: FitOptions, max: number): SplitOptions {
  const maxTokens = Math.max(1, max);
  return { ...o, maxTokens, overlapTokens: Math.min(o.overlapTokens ?? 0, Math.floor(maxTokens / 2)) };
}

async function countAll(parts: TextPart[], exact: (t: string) => Promise<number | undefined>): Promise<(number | undefined)[]> {
  const out: (number | undefined)[] = new Array(parts.length);
  let next = 0;
  const worker = async () => {
    while (next < parts.length) {
      const i = next++;
      out[i] = await exact(parts[i]!.text);
    }
  };
  await Promise.all(Array.from({ length: Math.min(COUNT_CONCURRENCY, parts.length) }, worker));
  return out;
}

/**
 * The size (in the job's own count) to cut a part into after the server refused it for length, or undefined when
 * cutting cannot help. With the server's figures (llama-server and vLLM state the request's tokens, prompt and max
 * tokens together, and the window), the part is sized to what the server's count says fits, with a tenth kept free;
 * without them, half the part.
 */
export function resplitSize(x: { textTokens: number; inputTokens: number; maxTokens: number; context?: { requestTokens?: number; window?: number } }): number | undefined {
  const r = x.context?.requestTokens;
  const w = x.context?.window;
  let size: number;
  if (r !== undefined && w !== undefined && r > w) {
    // Server tokens per token of ours, over the input as sent.
    const k = Math.max(1, (r - x.maxTokens) / Math.max(1, x.inputTokens));
    size = Math.floor(((w - x.maxTokens) / k - (x.inputTokens - x.textTokens)) * 0.9);
  } else size = Math.floor(x.textTokens / 2);
  return size >= MIN_PART_TOKENS && size < x.textTokens ? size : undefined;
}

/** Smaller than this, a part is not worth a request (the split refuses as much for a whole job). */
const MIN_PART_TOKENS = 32;
