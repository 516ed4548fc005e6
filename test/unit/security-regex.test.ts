// Text nobody chose (a selection, a server's answer) must not make a regex or a scan take seconds on the
// extension host's thread: the stop-sequence lint runs on every selection change, the trim before each round.
//
// Every regular expression in src that text nobody chose reaches — settings and presets, the system prompt, stop
// sequences, a selection, a server's answer, error bodies, usage, model ids, discovery answers, ledger lines — fed a
// 100,000-character string built against that pattern, through the code that runs it: the time must grow linearly
// (a backtracking pattern grows 100× from 10,000 to 100,000 characters) and stay under the hang guard. The list is
// checked against the source: a new regex fails the last test until it is put in SITES or OWN_TEXT.
import { before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { growth, HANG_BOUND_MS, LARGE, MAX_GROWTH, MB, SMALL, timed } from './adversarial';
import { continuationPlan, isPrefillRefusal } from '../../src/core/generation/continuation';
import { splitTextAsync, isBlockStructuredCode } from '../../src/core/generation/jobs/split';
import { decideLengthHint, statedLength, withHint } from '../../src/core/generation/lengthHint';
import { lengthHintProblem } from '../../src/core/settings/lengthHintSetting';
import { openFence } from '../../src/core/generation/seam';
import { joinSeam } from './generation/joinSeam';
import { Ledger } from '../../src/core/ledger/ledger';
import { memoryStorage } from '../ledgerDouble';
import { lintStops, LINT_LIMITS } from '../../src/core/models/stops';
import { listProbe, parseLlamaProps, parseOllamaShow } from '../../src/core/models/discovery';
import { serverBaseUrl } from '../../src/core/models/localServers';
import { findCatalogModel } from '../../src/core/models/models';
import { claudeAfterOpus46 } from '../../src/core/providers/anthropic';
import { isOpenAIReasoningModel } from '../../src/core/providers/openai';
import { chooseOpenAIApi, verbosityFor } from '../../src/core/models/openaiApi';
import { bundledPrice } from '../../src/core/pricing/prices';
import { copilotPrice } from '../../src/core/pricing/copilotPrices';
import { checkReportedCost } from '../../src/core/pricing/reported';
import { classifyEndpoint } from '../../src/core/providers/endpoints';
import { PROFILES } from '../../src/core/providers';
import { isLoopbackUrl } from '../../src/core/protocol/loopback';
import { serverText } from '../../src/core/protocol/serverText';
import { modelName } from '../../src/core/protocol/guards';
import { visibleLength } from '../../src/core/views/statusFit';
import { parsePreset } from '../../src/core/settings/presets';
import { resolveSettings } from '../../src/core/settings/resolve';
import { suggestKey, validateSettingValue } from '../../src/core/settings/validate';
import { loadTokenizer, tokenizerFor, type Tokenizer } from '../../src/core/tokens/tokens';
import { csvField } from '../../src/core/views/export';
import { tooltipMarkdown } from '../../src/core/views/statusText';
import { boundedReads } from '../../src/providers/boundedReads';
import { toProviderError } from '../../src/providers/errors';
import { LimitDiscovery } from '../../src/providers/discovery';
import { customIdIn } from '../../src/providers/batch/resultLines';
import { parseCollectorHeaders } from '../../src/telemetry/headers';
import { segmentStorage, type SegmentStore } from '../../src/platform/web/ledgerSegments';

/** A ledger folder holding files of these names (empty files: only the names are read for the listing). */
const folderOf = (names: string[]): SegmentStore => ({ list: async () => names, read: async () => '', write: async () => undefined, remove: async () => undefined });

test(`security: stop lint on 1 MB of one letter with that letter as the stop ends within ${HANG_BOUND_MS} ms`, () => {
  const { value, ms } = timed(() => lintStops(['a'], 'a'.repeat(MB)));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.ok(value.some((w) => w.includes('occurs inside')), 'still warns');
});

test(`security: stop lint on 1 MB of "END" repeated, 16 stops, ends within ${HANG_BOUND_MS} ms`, () => {
  const prompt = 'END'.repeat(MB / 3);
  const { value, ms } = timed(() => lintStops(Array.from({ length: 16 }, (_, i) => (i % 2 ? 'END' : 'DE'.repeat(1 + i))), prompt));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.ok(value.length > 0);
});

test('security: the stop lint names at most three words, each cut to a readable length', () => {
  const w = lintStops(['end'], 'x'.repeat(5000) + 'end' + 'y'.repeat(5000) + ' weekend legend ascend');
  const inside = w.find((x) => x.includes('occurs inside'))!;
  assert.ok(inside.length < 400, inside);
  assert.match(inside, /"…x+endy+…", "weekend", "legend"/);
});

test('security: hits past the cap are reported as a lower bound, and extra stops are named as not checked', () => {
  const w = lintStops(['.'], '. '.repeat(LINT_LIMITS.maxHits + 5));
  assert.ok(w.some((x) => x.includes(`(${LINT_LIMITS.maxHits}× or more)`)), w.join('\n'));
  const many = lintStops(Array.from({ length: 40 }, (_, i) => `stop${i}`), 'text');
  assert.ok(many.some((x) => x.startsWith(`only the first ${LINT_LIMITS.maxStops} of 40`)));
});

test(`security: 1 MB of spaces at the end of a server's answer is trimmed before a continuation within ${HANG_BOUND_MS} ms`, () => {
  const tail = ' \n\t'.repeat(1000);
  const answer = 'x' + ' '.repeat(MB) + 'y' + tail;
  const { value, ms } = timed(() => continuationPlan([{ role: 'user', content: 'q' }], answer, 'prefill'));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.equal(value.messages.at(-1)!.content, 'x' + ' '.repeat(MB) + 'y');
  assert.equal(value.trimmedSuffix, tail);
});

test(`security: a system prompt with 100,000 spaces before its last word gets its length hint within ${HANG_BOUND_MS} ms`, () => {
  const system = `Be brief.${' '.repeat(100_000)}x`;
  const { value, ms } = timed(() => withHint(system, 'Answer in about 200 words.'));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.ok(value.endsWith('x\n\nAnswer in about 200 words.'));
});

test(`security: a workspace system prompt of "1,1,1,…" (80,000 characters) is read for a stated length 5 times (5 selection changes) within ${HANG_BOUND_MS} ms`, () => {
  // The status bar plans a request on every selection change, and with lengthHint "auto" (the built-in presets')
  // the plan reads the system prompt for a length it already states.
  const system = '1,'.repeat(40_000);
  const { value, ms } = timed(() => Array.from({ length: 5 }, () => decideLengthHint('auto', { maxTokens: 1024, system })));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.ok(value.every((d) => d.sent), 'no length is stated: the hint is sent');
});

/** Twelve words, so the seam joiner looks for a restart (it compares the openings of long answers). */
const OPENING = 'one two three four five six seven eight nine ten eleven twelve ';
const rep = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

const tokenizers: Partial<Record<'o200k_base' | 'cl100k_base', Tokenizer>> = {};
before(async () => {
  tokenizers.o200k_base = await loadTokenizer('o200k_base');
  tokenizers.cl100k_base = await loadTokenizer('cl100k_base');
});

// A ledger line whose every field is as long as the attack: refresh() parses it (and skips it).
const ledgerLine = (time: string) => JSON.stringify({ kind: 'end', v: 1, id: 'x', time, workspace: 'w', provider: 'openai', model: 'm', maxTokens: 1, durationMs: 0, usage: { inputTokens: 1, outputTokens: 1 }, usageSource: 'provider', costUsd: 0, finish: { raw: 's', reason: 'stop', truncated: false } });

interface Site {
  /**
   * The file, and the regexes as written there (literals, or the text of a `new RegExp(…)`) that `run` puts the
   * attack through; "… (a loop)" for a scan that replaced a regex which was not linear (the row keeps its attack).
   */
  file: string;
  re: (RegExp | string)[];
  /** Who writes the text it sees. */
  from: string;
  attack: (n: number) => string;
  /** The code that runs the regex; default: the regex itself (sites in the editor layer, which tests cannot load). */
  run?: (s: string) => unknown;
}

const STATED_NUMBER = 'new RegExp(String.raw`\\b${NUM}[\\s-]{1,3}${UNIT}\\b(?!\\s{1,3}(?:per|each|at a time|of (?:code|context)))`, \'i\')';
const STATED_PHRASES = [
  /\b(?:word|character|length|token) (?:limit|count|budget|cap)\b/i,
  /\bmax(?:imum)? (?:length|words|size)\b/i,
  /\bkeep (?:it|this|them|the (?:answer|reply|response)s?|your (?:answer|reply|response)s?|responses|answers|replies) (?:short|brief|concise|succinct|to a minimum|under|below|within)\b/i,
  /\b(?:short|brief) (?:answer|reply|response)s?\b/i,
  /\bbe (?:brief|short)\b/i,
  /\bone[- ]liners?\b/i,
  /\btl;?dr\b/i,
];
const PREFILL_REFUSALS = [
  /does not support (?:the )?(?:assistant )?(?:message )?prefill/i,
  /prefill(?:ing|ed)?\b[^.]{0,80}?\b(?:not supported|unsupported|not allowed|no longer supported|disabled)/i,
  /assistant`? message in the final position/i,
  /(?:conversation|messages?|chat|prompt) (?:must|should) end with (?:a |an |the )?user/i,
  /last (?:message|turn|role)\b[^.]{0,40}?\b(?:must|should) (?:be|have)\b[^.]{0,20}?\buser/i,
  /expected (?:the )?last role (?:to be )?user/i,
  /final (?:message|turn) (?:must|should) be (?:from )?(?:a |an |the )?user/i,
  /\\[nrt]/g,
  /\s+/g,
];
const FILE_ERRORS = 'src/providers/errors.ts';
const SPLIT_CUTS = 'new RegExp(CUTS[level].source, \'g\')';
const TOKEN_SPLIT = ['new RegExp(nonCapturing(patStr), \'uy\')', 'new RegExp(nonCapturing(ascii), \'y\')', /[^\x00-\x7f]/g, /[\x00-\x7f]{32}/g];
const FENCE_LINE = ['new RegExp(`^${tick}{3,}[^\\\\s\\`~]{1,30}[ \\\\t]*(\\\\r?\\\\n|$)`)', 'new RegExp(`^(${tick}{1,2}|${tick}{3,}[^\\\\s\\`~]{0,30}[ \\\\t]*\\\\r?)$`)'];
const NEEDS_SPACE = [/^\p{L}/u, /^\p{Lu}/u, /\p{Ll}/u, /^\p{Lu}\p{Ll}/u, /[.!?…]/, /^[“‘"'([«]?\p{Lu}/u];
const split = (s: string) => splitTextAsync(s, { maxTokens: 64, count: (t) => Math.ceil(t.length / 4), code: true }, Infinity);
const ledger = (s: string) => Ledger.open(memoryStorage(s));

const SITES: Site[] = [
  // ----- the system prompt (workspace settings, presets), the length hint template -----
  { file: 'src/core/generation/lengthHint.ts', re: [STATED_NUMBER], from: 'the system prompt', attack: (n) => rep('1,', n), run: statedLength },
  { file: 'src/core/generation/lengthHint.ts', re: [STATED_NUMBER], from: 'the system prompt', attack: (n) => rep('1 - ', n), run: statedLength },
  { file: 'src/core/generation/lengthHint.ts', re: [STATED_NUMBER], from: 'the system prompt', attack: (n) => `1 words${' '.repeat(n)}per`, run: statedLength },
  { file: 'src/core/generation/lengthHint.ts', re: STATED_PHRASES, from: 'the system prompt', attack: (n) => rep('keep your answers word max one be tl ', n), run: statedLength },
  { file: 'src/core/settings/lengthHintSetting.ts', re: [/\{[^{}]*\}/g, /[\r\n]/], from: 'lengthwise.lengthHint', attack: (n) => `{words}{${'x'.repeat(n)}`, run: lengthHintProblem },
  { file: 'src/core/generation/lengthHint.ts', re: [/\{(words|tokens|lines)\}/g], from: 'lengthwise.lengthHint', attack: (n) => rep('{words', n), run: (s) => decideLengthHint(s, { maxTokens: 100, system: '' }) },
  // ----- a server's error body -----
  { file: 'src/core/generation/continuation.ts', re: PREFILL_REFUSALS, from: "a server's error message", attack: (n) => rep('prefill last message must be the conversation must end with \\n ', n), run: (s) => isPrefillRefusal(400, s) },
  { file: 'src/core/generation/continuation.ts', re: PREFILL_REFUSALS, from: "a server's error message", attack: (n) => `${' '.repeat(n)}x`, run: (s) => isPrefillRefusal(400, s) },
  {
    file: FILE_ERRORS,
    re: [/context[ _-]?(length|window|size)|maximum context|too many tokens|prompt is too long|input is too long|exceeds the (maximum|context)/i, /overloaded/i, /status(?: code)?:? (\d{3})|"code":\s*(\d{3})\b/i],
    from: "a server's error body",
    attack: (n) => rep('context maximum too many prompt is exceeds the overloade "code":   status code: ', n),
    run: (s) => toProviderError('openai', { status: 400, message: s }, false),
  },
  {
    file: FILE_ERRORS,
    re: [/request \((\d{1,9}) tokens\) exceeds the available context size \((\d{1,9}) tokens\)/, /maximum context length is (\d{1,9}) tokens/, /you requested (\d{1,9}) tokens/],
    from: "a local server's context refusal",
    attack: (n) => `context size ${rep('request (1 tokens) exceeds the available context size (2 maximum context length is 1 you requested 1', n)}`,
    run: (s) => toProviderError('openai-compatible', { status: 400, message: s }, false),
  },
  {
    file: FILE_ERRORS,
    re: [/\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b(?: (\S{1,200}))?/],
    from: "a socket error's message",
    attack: (n) => rep('ECONNREFUSE ENOTFOUN ', n),
    run: (s) => toProviderError('openai-compatible', { message: 'Connection error.', cause: { message: 'fetch failed', cause: { message: s, code: 'E' } } }, false),
  },
  { file: FILE_ERRORS, re: [/UserAbort/, /Timeout/i], from: "an SDK error's name", attack: (n) => rep('UserAbor Timeou', n), run: (s) => toProviderError('openai', { name: s, message: 'm' }, false) },
  {
    file: FILE_ERRORS,
    re: [/timed? ?out/i, /APIConnection|FetchError|ECONN|ENOTFOUND|EAI_AGAIN|socket|terminated|network|other side closed|fetch failed|failed to fetch|load failed/i, /JSON|Unexpected token|parse/i, /status(?: code)?:? (\d{3})|"code":\s*(\d{3})\b/i],
    from: "a server's error body",
    attack: (n) => rep('timed o ECON fetch faile JSO parsi "code":   status code: ', n),
    run: (s) => toProviderError('openai', { message: s }, false),
  },
  {
    file: FILE_ERRORS,
    re: [/not the approved endpoint/, /refused to send the request to (\S+): not the approved endpoint (\S+)/],
    from: 'an address a server named',
    attack: (n) => `refused to send the request to ${'x'.repeat(n)}: not the approved endpoint `,
    run: (s) => toProviderError('openai', { status: 421, message: s }, false),
  },
  { file: FILE_ERRORS, re: [/redirect to (\S+) not followed/], from: 'an address a server named', attack: (n) => rep('redirect to xx ', n), run: (s) => toProviderError('openai', { status: 307, message: s }, false) },
  { file: 'src/providers/boundedReads.ts', re: [/^text\/event-stream/i], from: "a server's content-type", attack: (n) => rep('text/event-strea', n), run: (s) => boundedReads(new Response('x', { headers: { 'content-type': s } })) },
  { file: 'src/providers/batch/resultLines.ts', re: [/"custom_id"\s*:\s*"([A-Za-z0-9_-]{1,64})"/], from: "the start of a batch result line over the bound", attack: (n) => rep('"custom_id"  :  "', n), run: customIdIn },
  { file: 'src/providers/openaiResponses.ts', re: [/\.\s*$/], from: "a server's error message", attack: (n) => rep('. ', n) + 'x' },
  { file: 'src/core/views/statusFit.ts', re: [/\$\([\w~-]{1,40}\)/g], from: 'a preset name in the status text', attack: (n) => rep('$(abc', n), run: visibleLength },
  { file: 'src/extension/notices.ts', re: [/\]\(/g], from: 'a message naming settings values or a server\'s words', attack: (n) => rep('](', n) },
  { file: 'src/core/protocol/guards.ts', re: [/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/], from: 'the model name in a server\'s response (read after a 200-character bound)', attack: (n) => rep('gpt-4.1 ', n), run: modelName },
  // ----- file names in the web ledger's folder (whatever else is there) -----
  {
    file: 'src/platform/web/ledgerSegments.ts',
    re: [/^seg-([0-9a-z]{9}-[0-9a-f]{8})-(\d{4})-([ab])\.jsonl$/, /^arc-[0-9a-z]{9}-[0-9a-f]{8}\.jsonl$/],
    from: "a file name in the web ledger's folder",
    attack: (n) => `seg-${'0'.repeat(9)}-${'0'.repeat(8)}-${'0'.repeat(n)}.jsonl`,
    run: (name) => segmentStorage(folderOf([name, name.replace('seg-', 'arc-')])).readAll(),
  },
  // ----- what a server's answer leaves for the next round (the seam joiner) -----
  { file: 'src/core/generation/seam.ts', re: [/[\p{L}\p{N}]/u, /\s+/], from: "a server's answer", attack: (n) => `${OPENING}a${'!'.repeat(n)}a`, run: (s) => joinSeam(s, ' more', {}) },
  { file: 'src/core/generation/seam.ts', re: [/[\p{L}\p{N}]/u, /\s+/], from: "a server's answer (the continuation)", attack: (n) => ` ${OPENING}a${'!'.repeat(n)}a more`, run: (s) => joinSeam(OPENING, s, {}) },
  { file: 'src/core/generation/seam.ts', re: [/\s/, /\s+/, /^\s+$/], from: "a server's answer", attack: (n) => `${OPENING}${' \t'.repeat(n / 2)}x`, run: (s) => joinSeam(s, s, {}) },
  { file: 'src/core/generation/seam.ts', re: [/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u, /[\p{L}\p{N}\p{M}_]/u], from: "a server's answer", attack: (n) => rep('漢a', n), run: (s) => joinSeam(s, s.slice(-50), {}) },
  { file: 'src/core/generation/seam.ts', re: [/^[ \t]*(`{3,}|~{3,})/, /\r$/], from: "a server's answer", attack: (n) => `${' '.repeat(n)}\`\`\`${'`'.repeat(n)}x\r\r\r`, run: openFence },
  { file: 'src/core/generation/seam.ts', re: [/[,;] /, /`/g], from: "a server's answer", attack: (n) => rep(',`', n), run: (s) => joinSeam(s, 'x', {}) },
  { file: 'src/core/generation/seam.ts', re: FENCE_LINE, from: "a server's answer after an open fence", attack: (n) => `${'`'.repeat(n / 2)}${' '.repeat(n / 2)}x`, run: (s) => joinSeam('```js\ncode', s, {}) },
  { file: 'src/core/generation/seam.ts', re: NEEDS_SPACE, from: "a server's answer", attack: (n) => rep('A', n), run: (s) => joinSeam('end.', s, {}) },
  // ----- a selection (file content nobody chose) -----
  { file: 'src/core/generation/jobs/split.ts', re: [/\n[ \t]*\n(?=[^\s}\])])/g, /\n[ \t]*\n\s*/g, /\n/g, SPLIT_CUTS], from: 'a selection split into chunks', attack: (n) => `\n${' \t'.repeat(n / 2)}`, run: split },
  { file: 'src/core/generation/jobs/split.ts', re: [/[.!?。！？…]["'’”)\]]*\s+/g, SPLIT_CUTS], from: 'a selection split into chunks', attack: (n) => rep('.)', n), run: split },
  { file: 'src/core/generation/jobs/split.ts', re: [/\s+/g, SPLIT_CUTS], from: 'a selection split into chunks', attack: (n) => rep('x ', n), run: split },
  ...(['o200k_base', 'cl100k_base'] as const).flatMap((id) =>
    [(n: number) => `${' '.repeat(n)}x`, (n: number) => rep("'s", n), (n: number) => rep('é ', n), (n: number) => `${'\u3000'.repeat(n)}x`].map(
      (attack): Site => ({ file: 'src/core/tokens/tokens.ts', re: TOKEN_SPLIT, from: `a selection counted with ${id}`, attack, run: (s) => tokenizers[id]!.count(s) }),
    ),
  ),
  {
    file: 'src/core/generation/jobs/split.ts',
    re: [/^(typescript|typescriptreact|javascript|javascriptreact|python|go|rust|java|kotlin|scala|c|cpp|csharp|swift|php|ruby|lua|dart|r|julia|elixir|haskell|ocaml|fsharp|shellscript|powershell|sql)$/],
    from: 'a language id (other extensions contribute languages)',
    attack: (n) => rep('typescript', n),
    run: isBlockStructuredCode,
  },
  // ----- stop sequences -----
  { file: 'src/core/models/stops.ts', re: [/\n/g, /^[ \t]/, /[ \t\n]$/, /[\p{L}\p{N}_]/u], from: 'lengthwise.stopSequences and the selection', attack: (n) => rep(' \n', n), run: (s) => lintStops([s.slice(0, 2_000), 'a'], s) },
  // ----- model ids (settings, a server's model list) -----
  { file: 'src/core/providers/openai.ts', re: [/^o\d+(-|$)/, /^gpt-([5-9]|\d{2,})([.-]|$)/], from: 'a model id', attack: (n) => `o${'1'.repeat(n)}x`, run: isOpenAIReasoningModel },
  { file: 'src/core/providers/modelIds.ts', re: [/@\d{8}$/, /(\d)\.(\d)/g, /-latest$/, /-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /-preview-\d{2}-\d{2,4}$/, /-\d{3}$/], from: 'a model id', attack: (n) => `claude-${rep('1.1-1111-11-11-preview-11-', n)}x`, run: (s) => findCatalogModel('anthropic', s) },
  { file: 'src/core/providers/anthropic.ts', re: [/^claude-(?:([a-z]+)-)?(\d+)(?:-(\d{1,2}))?(?:-([a-z]+))?(?:-|$)/, /^claude-(fable|mythos)/], from: 'a model id', attack: (n) => `claude-${'a'.repeat(n)}-${'1'.repeat(n)}x`, run: claudeAfterOpus46 },
  { file: 'src/core/providers/openai.ts', re: [/(^|[-.])codex($|-)/, /^(o\d+|gpt-\d+(\.\d+)?)-pro($|-)/], from: 'a model id', attack: (n) => `gpt-${'1'.repeat(n)}.${rep('1-codexx', n)}`, run: (s) => chooseOpenAIApi('openai', s, undefined, 'auto') },
  { file: 'src/core/providers/openai.ts', re: [/^gpt-([5-9]|\d{2,})/, /chat-latest|codex/], from: 'a model id', attack: (n) => `gpt-${'1'.repeat(n)}${rep('chat-lates', n)}`, run: (s) => verbosityFor('openai', s, undefined, 'low', 'lengthwise.verbosity') },
  {
    file: 'src/core/providers/openai.ts',
    re: [/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)(\b|-|$)/, /^(gpt-4|gpt-3\.5|gpt-35|text-embedding-ada-002|text-embedding-3)(\b|-|$)/, /^openai\//],
    from: 'a model id',
    attack: (n) => `openai/${rep('gpt-4', n)}`,
    run: (s) => tokenizerFor('openai', s),
  },
  { file: 'src/core/providers/gemini.ts', re: [/^(models\/)?gemini-([4-9]|\d{2,})[.-]/], from: 'a model id', attack: (n) => `models/gemini-${'4'.repeat(n)}x`, run: (s) => PROFILES.gemini.guess(s) },
  { file: 'src/core/pricing/copilotPrices.ts', re: [/[\s_]+/g, /(\d)-(?=\d)/g], from: 'a model id (a VS Code language model)', attack: (n) => `copilot/${rep(' _1-', n)}`, run: copilotPrice },
  { file: 'src/core/pricing/prices.ts', re: [/^models\//], from: 'a model id', attack: (n) => rep('models/', n), run: (s) => bundledPrice('gemini', s) },
  { file: 'src/core/settings/validate.ts', re: [/\s/, /\s+/g], from: 'lengthwise.model', attack: (n) => rep(' x', n), run: (s) => validateSettingValue('model', s) },
  // ----- other settings and presets -----
  { file: 'src/core/settings/validate.ts', re: [/^[\w.-]+(:\d+)?(\/|$)/], from: 'lengthwise.baseUrl', attack: (n) => `${'a'.repeat(n)}:${'1'.repeat(n)}!`, run: (s) => validateSettingValue('baseUrl', s) },
  { file: 'src/core/settings/validate.ts', re: [/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/], from: 'lengthwise.telemetry.attributes', attack: (n) => `${'a'.repeat(n)}!`, run: (s) => validateSettingValue('telemetry.attributes', { [s]: 'x' }) },
  { file: 'src/core/settings/validate.ts', re: [/^lengthwise\./], from: 'a setting key', attack: (n) => rep('lengthwise.', n), run: suggestKey },
  { file: 'src/core/settings/presets.ts', re: [/^lengthwise\./], from: 'a preset key', attack: (n) => rep('lengthwise.', n), run: (s) => parsePreset('p', { [s]: 1, [s.slice(0, 90)]: 2 }) },
  { file: 'src/core/settings/resolve.ts', re: [/^lengthwise\./], from: 'an override key', attack: (n) => rep('lengthwise.', n), run: (s) => resolveSettings({ configured: {}, overrides: { [s]: 1 } }) },
  { file: 'src/core/providers/endpoints.ts', re: [/:$/], from: 'lengthwise.baseUrl', attack: (n) => `${'a'.repeat(n)}://h`, run: (s) => classifyEndpoint('openai', s) },
  { file: 'src/core/protocol/loopback.ts', re: [/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/], from: 'lengthwise.baseUrl', attack: (n) => `http://127.0.0.${'1'.repeat(n)}`, run: isLoopbackUrl },
  { file: 'src/telemetry/headers.ts', re: [/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, /[\s,]/, /[\r\n]/], from: "the telemetry collector's secret", attack: (n) => `${'a'.repeat(n)}=${'b'.repeat(n)}\u0001`, run: parseCollectorHeaders },
  // ----- discovery: what a local server says about itself -----
  { file: 'src/core/models/discovery.ts', re: [/^\s*\d+\s*$/], from: "a server's /props", attack: (n) => `${' '.repeat(n)}1${' '.repeat(n)}x`, run: (s) => parseLlamaProps({ n_ctx: s }) },
  { file: 'src/core/models/discovery.ts', re: [/^\s*num_ctx\s+(\S+)\s*$/], from: "Ollama's /api/show", attack: (n) => '\n'.repeat(n), run: (s) => parseOllamaShow({ parameters: s }) },
  { file: 'src/core/models/discovery.ts', re: [/^\s*num_ctx\s+(\S+)\s*$/], from: "Ollama's /api/show", attack: (n) => rep('num_ctx ', n), run: (s) => parseOllamaShow({ parameters: s }) },
  { file: 'src/core/models/discovery.ts', re: ['trimSlash (a loop)'], from: 'lengthwise.baseUrl, useLocalServer { baseUrl }', attack: (n) => `http://h/${'/'.repeat(n)}x`, run: listProbe },
  { file: 'src/providers/discovery.ts', re: ['trimSlash (a loop)'], from: 'lengthwise.baseUrl', attack: (n) => `http://h/${'/'.repeat(n)}x`, run: (s) => new LimitDiscovery().known(s, 'm') },
  { file: 'src/core/models/localServers.ts', re: [/^[a-z][a-z0-9+.-]{0,20}:\/\//i, /:$/], from: 'an address typed into Use a Local Server, or its { baseUrl }', attack: (n) => `a${'+'.repeat(n)}:/${'/'.repeat(n)}`, run: (s) => serverBaseUrl(s.slice(0, 2000)) },
  { file: 'src/core/models/localServers.ts', re: [/^[a-z][a-z0-9+.-]{0,20}:\/\//i, /:$/], from: 'an address typed into Use a Local Server (the trailing-slash loop)', attack: (n) => `http://h/${'/'.repeat(Math.min(n, 1990))}`, run: serverBaseUrl },
  // ----- usage and cost a server reports -----
  { file: 'src/core/pricing/reported.ts', re: [/^[+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/], from: "a gateway's cost header", attack: (n) => `${'1'.repeat(n)}.${'1'.repeat(n)}e`, run: (s) => checkReportedCost(s, { inputTokens: 1, outputTokens: 1 }) },
  // ----- server text on its way to a message, the tooltip, the CSV -----
  {
    file: 'src/core/protocol/serverText.ts',
    re: [/[\u0000-\u001f\u007f]+/g, /[[\]<>]/g, /\u001b\[[0-?]*[ -/]*[@-~]/g, /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u, /\bsk-[A-Za-z0-9_-]{12,}/g, /\bAIza[0-9A-Za-z_-]{14,}/g, /[?&]key=[^&\s]+/g],
    from: "a server's error body",
    attack: (n) => rep('sk-AIza?key=\u0001[\u001b[0;', n),
    run: (s) => serverText(s, 'sk-secret-key-1234', 2_000),
  },
  { file: 'src/core/views/statusText.ts', re: [/[\u0000-\u001f\u007f]+/g, /[\\`*_[\]<>&|#~]/g], from: 'a model id, a finish reason, a preset', attack: (n) => rep('\u0001[`', n), run: (s) => tooltipMarkdown({ title: s, model: s, notes: [s], session: { usd: 0, requests: 0 }, workspace: { usd: 0, requests: 0 } }) },
  { file: 'src/core/views/export.ts', re: [/^(?:[\t\r]|[\s\p{Zs}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u, /[",\r\n]|^\s|\s$/, /"/g], from: 'a ledger field (model id, preset, finish)', attack: (n) => `${' '.repeat(n)}"x`, run: csvField },
  // ----- ledger lines (a file anyone can write) -----
  { file: 'src/core/ledger/lines.ts', re: [/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/], from: 'a ledger line', attack: (n) => ledgerLine(`2024-01-01T00:00:00.${'1'.repeat(n)}`), run: ledger },
  { file: 'src/core/ledger/ledger.ts', re: [/\r$/], from: 'a ledger line', attack: (n) => rep('\r', n) + 'x', run: ledger },
  // ----- the editor layer (tests cannot load it: the regex itself, on what reaches it) -----
  { file: 'src/extension/batch/land.ts', re: [/\r?\n/g], from: "a batch's answers", attack: (n) => rep('\r', n) },
  { file: 'src/extension/send/failedParts.ts', re: [/\r?\n/g], from: "a retried part's answer", attack: (n) => rep('\r', n) },
  { file: 'src/extension/editorStream.ts', re: [/\r?\n/g], from: "a server's answer", attack: (n) => rep('\r', n) },
  { file: 'src/extension/send/controller.ts', re: [/\r\n/g], from: "a server's answer", attack: (n) => rep('\r', n) },
  { file: 'src/extension/runNotices.ts', re: [/kept/], from: "a server's error message", attack: (n) => rep('kep', n) },
  { file: 'src/extension/send/notifier.ts', re: [/"[^"]*"|\d+(\.\d+)?/g], from: 'a message naming settings values', attack: (n) => `"${'1.'.repeat(n / 2)}` },
  { file: 'src/extension/config/configuration.ts', re: [/^lengthwise\./], from: 'a workspace preset key', attack: (n) => rep('lengthwise.', n) },
  { file: 'src/extension/config/configuration.ts', re: ['new RegExp(`"lengthwise\\\\.${key.replace(".", "\\\\.")}"\\\\s*:`)'], from: "a workspace's settings.json", attack: (n) => rep('"lengthwise.baseUrl"  ', n), run: (s) => new RegExp(`"lengthwise\\.baseUrl"\\s*:`).test(s) },
  { file: 'src/extension/send/preflight.ts', re: [/^lengthwise\.[\w.]+/], from: 'a setting named in a validation issue (preset names)', attack: (n) => `lengthwise.${rep('a.', n)}!` },
  { file: 'src/extension/send/preflight.ts', re: [/\.$/], from: 'a setting named in a validation issue (preset names)', attack: (n) => `lengthwise.${rep('a.', n)}!` },
  { file: 'src/extension/lm/adapter.ts', re: [/^(NoPermissions|Blocked|NotFound)\b/], from: "another extension's error message", attack: (n) => rep('NoPermission', n) },
  { file: 'src/webview/dashboard.ts', re: [/[A-Za-z0-9_-]/], from: 'a model id or preset name (one character at a time)', attack: (n) => rep('é', n), run: (s) => Array.from(s, (c) => /[A-Za-z0-9_-]/.test(c)) },
  { file: 'src/extension/trial/answers.ts', re: [/[^\w .-]+/g], from: "a preset name or model id (a trial's answers document)", attack: (n) => rep('é ', n) },
  { file: 'src/extension/trial/examples.ts', re: [/[*?[\]{}]/], from: "a path in lengthwise.tryPreset's examples", attack: (n) => 'a'.repeat(n) },
  { file: 'src/extension/trial/examples.ts', re: [/^[a-z][\w+.-]*:\/\//i], from: "a path in lengthwise.tryPreset's examples", attack: (n) => `${'a'.repeat(n)}:/` },
  { file: 'src/extension/trial/examples.ts', re: [/^[a-z]:[\\/]/i], from: "a path in lengthwise.tryPreset's examples", attack: (n) => `a:${':'.repeat(n)}` },
];

/** Regexes that see only Lengthwise's own text, or a bounded piece of it. */
const OWN_TEXT: { file: string; re: RegExp | string; why: string }[] = [
  { file: 'src/core/generation/jobs/batch.ts', re: /^[A-Za-z0-9_-]{1,64}$/, why: 'custom ids Lengthwise makes from its own job ids' },
  { file: 'src/core/generation/jobs/batch.ts', re: /[^A-Za-z0-9_-]/g, why: 'its own job ids' },
  { file: 'src/core/models/catalog.ts', re: /^gpt-([5-9]|\d{2,})/, why: 'the bundled catalog' },
  { file: 'src/core/generation/outputGuard.ts', re: /\s/, why: 'at most 64 characters of a streamed piece' },
  { file: 'src/core/pricing/money.ts', re: /0+$/, why: 'a number it formatted (at most 22 characters)' },
  { file: 'src/extension/notices.ts', re: /[[\]]/g, why: "the title of a notice's action (its own translated labels)" },
  { file: 'src/core/settings/validate.ts', re: /\.$/, why: 'its own message' },
  { file: 'src/extension/dashboard.ts', re: /[+/]/g, why: 'the base64 of 24 random bytes it made (32 characters)' },
  { file: 'src/core/tokens/tokens.ts', re: /^\\([pP])\{(\w+)\}/, why: "the encodings' own split patterns" },
  ...[/[A-Za-z]/, /[0-9]/, /\s/].map((re) => ({ file: 'src/core/tokens/safeCuts.ts', re, why: 'the 128 ASCII characters, once' })),
  ...[/\p{L}/u, /\p{N}/u, /\p{M}/u, /\s/u].map((re) => ({ file: 'src/core/tokens/safeCuts.ts', re, why: 'one code point' })),
];

const keyOf = (file: string, re: RegExp | string) => `${file} ${typeof re === 'string' ? re : String(re)}`;

const shown = (re: RegExp | string) => {
  const t = String(re);
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
};

describe('security: every regex that text nobody chose reaches takes linear time', () => {
  for (const s of SITES) {
    const name = `security: ${s.file} ${s.re.map(shown).join(' ')} on ${LARGE.toLocaleString('en-US')} characters of ${JSON.stringify(s.attack(24))}… (${s.from})`;
    it(name, async (t) => {
      const [only] = s.re;
      assert.ok(s.run || (s.re.length === 1 && only instanceof RegExp), 'a row of several regexes, or of a `new RegExp`, needs the code that runs them');
      const run = s.run ?? ((text: string) => text.replace(new RegExp((only as RegExp).source, (only as RegExp).flags), ''));
      const g = await growth(run, s.attack);
      const figures = `${SMALL}: ${g.small.toFixed(3)} ms, ${LARGE}: ${g.large.toFixed(3)} ms (×${g.ratio.toFixed(1)})`;
      t.diagnostic(figures);
      assert.ok(g.large < HANG_BOUND_MS, `hang: ${figures}`);
      assert.ok(g.ratio < MAX_GROWTH, `grows faster than linear: ${figures}`);
    });
  }
});

/** Every regex literal and `new RegExp(…)` in src, as "file text". */
function regexSites(): string[] {
  const root = path.resolve(__dirname, '../..');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const sf = ts.createSourceFile(p, fs.readFileSync(p, 'utf8'), ts.ScriptTarget.Latest, true);
        const file = path.relative(root, p).split(path.sep).join('/');
        const visit = (n: ts.Node) => {
          if (n.kind === ts.SyntaxKind.RegularExpressionLiteral || (ts.isNewExpression(n) && n.expression.getText(sf) === 'RegExp')) out.push(`${file} ${n.getText(sf)}`);
          ts.forEachChild(n, visit);
        };
        visit(sf);
      }
    }
  };
  walk(path.join(root, 'src'));
  return out;
}

it('every regex in src is in SITES (with its attack) or in OWN_TEXT (with the reason it sees only our text)', () => {
  const listed = new Set([...SITES.flatMap((s) => s.re.filter((re) => !String(re).endsWith('(a loop)')).map((re) => keyOf(s.file, re))), ...OWN_TEXT.map((s) => keyOf(s.file, s.re))]);
  const found = regexSites();
  assert.ok(found.length > 100, `${found.length} sites found: the scan is broken`);
  assert.deepEqual(found.filter((k) => !listed.has(k)), [], 'regexes in src that the table does not cover');
  const present = new Set(found);
  assert.deepEqual([...listed].filter((k) => !present.has(k)), [], 'table rows whose regex is no longer in src');
});
