import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calcPrice } from '@pydantic/genai-prices';
import { MODEL_CATALOG } from '../../../src/core/models/catalog';
import { findCatalogModel, findModel, formatTokens } from '../../../src/core/models/models';
import { claudeAfterOpus46 } from '../../../src/core/providers/anthropic';
import { isOpenAIReasoningModel } from '../../../src/core/providers/openai';
import type { ProviderId } from '../../../src/core/protocol/request';
import { chooseStrategy } from '../../../src/core/generation/continuation';

/** The rule the catalog's Claude entries follow (measured against the API): Claude 4.6 and later refuse prefill. */
function claudeTakesPrefill(id: string): boolean {
  const v = /^claude-(?:[a-z]+-)?(\d+)(?:-(\d{1,2}))?(?:-|$)/.exec(id);
  if (!v) return false;
  const major = Number(v[1]);
  const minor = v[2] !== undefined ? Number(v[2]) : 0;
  return major < 4 || (major === 4 && minor < 6);
}

/** Whether a truncated answer of this Anthropic model is continued by prefill (as a Send's continuation decides). */
function continuesByPrefill(model: string): boolean {
  const modelSupportsPrefill = findModel('anthropic', model, {})?.supportsPrefill;
  return chooseStrategy({ provider: 'anthropic', model, modelSupportsPrefill, prefillRefused: new Set(), finishRaw: 'max_tokens' }) === 'prefill';
}

const LOOKUPS: [ProviderId, string, string][] = [
  ['openai', 'gpt-5.2', 'gpt-5.2'],
  ['openai', 'gpt-5.2-2025-12-11', 'gpt-5.2'],
  ['openai', 'gpt-5', 'gpt-5'],
  ['openai', 'gpt-5-mini-2025-08-07', 'gpt-5-mini'],
  ['openai', 'gpt-5-nano', 'gpt-5-nano'],
  ['openai', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
  ['openai', 'gpt-4.1-nano', 'gpt-4.1-nano'],
  ['openai', 'gpt-4o-2024-08-06', 'gpt-4o'],
  ['openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
  ['openai', 'chatgpt-4o-latest', 'chatgpt-4o-latest'],
  ['openai', 'o3-2025-04-16', 'o3'],
  ['openai', 'o3-mini', 'o3-mini'],
  ['openai', 'o4-mini-high', 'o4-mini'],
  ['openai', 'GPT-4o', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-opus-4-5-20251101', 'claude-opus-4-5'],
  ['anthropic', 'claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
  ['anthropic', 'claude-opus-4-1-20250805', 'claude-opus-4-1'],
  ['anthropic', 'claude-opus-4-20250514', 'claude-opus-4-0'],
  ['anthropic', 'claude-sonnet-4-20250514', 'claude-sonnet-4-0'],
  ['anthropic', 'claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
  ['anthropic', 'claude-3-7-sonnet-20250219', 'claude-3-7-sonnet'],
  ['anthropic', 'claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
  ['anthropic', 'claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
  ['gemini', 'gemini-2.5-pro', 'gemini-2.5-pro'],
  ['gemini', 'models/gemini-2.5-pro', 'gemini-2.5-pro'],
  ['gemini', 'gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
  ['gemini', 'gemini-2.5-flash-lite-preview-06-17', 'gemini-2.5-flash-lite'],
  ['gemini', 'gemini-2.0-flash-001', 'gemini-2.0-flash'],
  ['gemini', 'gemini-2.0-flash-lite', 'gemini-2.0-flash-lite'],
  ['gemini', 'gemini-3-pro-preview', 'gemini-3-pro-preview'],
  ['openai-compatible', 'anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
  ['openai-compatible', 'openai/gpt-4o', 'gpt-4o'],
  ['openai-compatible', 'google/gemini-2.5-flash', 'gemini-2.5-flash'],
  // 2026 additions (ids from the installed SDKs' type lists and genai-prices)
  ['anthropic', 'claude-opus-4-6', 'claude-opus-4-6'],
  ['anthropic', 'claude-sonnet-4-6-20260217', 'claude-sonnet-4-6'],
  ['anthropic', 'claude-opus-4-7', 'claude-opus-4-7'],
  ['anthropic', 'claude-opus-4-8', 'claude-opus-4-8'],
  ['anthropic', 'claude-mythos-preview', 'claude-mythos-preview'],
  ['anthropic', 'claude-sonnet-5', 'claude-sonnet-5'],
  ['anthropic', 'claude-opus-5', 'claude-opus-5'],
  ['anthropic', 'claude-fable-5', 'claude-fable-5'],
  ['anthropic', 'claude-mythos-5-1', 'claude-mythos-5-1'],
  ['anthropic', 'claude-opus-5-5', 'claude-opus-5-5'],
  ['anthropic', 'claude-sonnet-5-5', 'claude-sonnet-5-5'],
  ['anthropic', 'claude-haiku-5-5', 'claude-haiku-5-5'],
  ['openai-compatible', 'anthropic/claude-opus-4.7', 'claude-opus-4-7'],
  ['openai', 'gpt-5.4', 'gpt-5.4'],
  ['openai', 'gpt-5.4-2026-03-05', 'gpt-5.4'],
  ['openai', 'gpt-5.4-mini', 'gpt-5.4-mini'],
  ['openai', 'gpt-5.5-2026-04-23', 'gpt-5.5'],
  ['openai', 'gpt-5.6-terra', 'gpt-5.6-terra'],
  ['openai', 'gpt-6-sol', 'gpt-6-sol'],
  ['openai', 'gpt-5.2-chat-latest', 'gpt-5.2-chat-latest'], // not gpt-5.2 (a 128K ChatGPT snapshot)
  ['openai', 'gpt-5.3-chat-latest', 'gpt-5.3-chat-latest'],
  ['gemini', 'gemini-3.1-pro-preview', 'gemini-3.1-pro-preview'],
  ['gemini', 'models/gemini-3.5-flash', 'gemini-3.5-flash'],
  ['gemini', 'gemini-3.8-flash', 'gemini-3.8-flash'],
  ['gemini', 'gemini-4-argon', 'gemini-4-argon'],
];

for (const [provider, id, expected] of LOOKUPS) {
  test(`catalog lookup ${provider} ${id} → ${expected}`, () => {
    assert.equal(findModel(provider, id)?.id, expected);
  });
}

const MISSES: [ProviderId, string][] = [
  ['openai', 'claude-sonnet-4-5'], // another provider's model
  ['anthropic', 'gpt-4o'],
  ['openai', 'gpt-4'], // not gpt-4o
  ['openai', 'gpt-4o-mini-realtime-preview'],
  ['openai', 'gpt-5.9-codex'], // a codex version the catalog does not list
  ['gemini', 'gemini-2.5-pro-tts'],
  ['openai-compatible', 'llama3.1:8b'],
  ['anthropic', 'claude-opus-4-9'], // a version no SDK lists
];
for (const [provider, id] of MISSES) {
  test(`catalog lookup ${provider} ${id} → unknown`, () => {
    assert.equal(findModel(provider, id), undefined);
  });
}

test("seed figures: GPT-5.2 400K/128K, Claude Sonnet 4.5 200K/64K, Gemini 2.5 Pro 1M/64K", () => {
  const g = findModel('openai', 'gpt-5.2')!;
  assert.deepEqual([g.contextWindow, g.maxOutputTokens, g.date], [400_000, 128_000, '2026']);
  const c = findModel('anthropic', 'claude-sonnet-4-5')!;
  assert.deepEqual([c.contextWindow, c.maxOutputTokens, c.date], [200_000, 64_000, '2026']);
  assert.match(c.contextNote ?? '', /1M/);
  const p = findModel('gemini', 'gemini-2.5-pro')!;
  assert.deepEqual([p.contextWindow, p.maxOutputTokens, p.date], [1_048_576, 65_536, '2026']);
  assert.match(g.source, /seed/);
});

test('every catalog entry has a source, a date, consistent limits and a unique id', () => {
  const ids = new Set<string>();
  for (const m of MODEL_CATALOG) {
    assert.ok(m.source.length > 10, m.id);
    assert.match(m.date, /^20\d\d(-\d\d)?$/, m.id);
    // An unknown figure is only allowed when the entry says why.
    for (const f of ['contextWindow', 'maxOutputTokens'] as const) {
      if (!Number.isFinite(m[f])) assert.ok(m.uncertain?.fields.includes(f), `${m.id}: ${f} unknown without an explanation`);
    }
    if (m.uncertain) assert.ok(m.uncertain.fields.length > 0 && m.uncertain.why.length > 10, m.id);
    if (Number.isFinite(m.contextWindow)) assert.ok(m.maxOutputTokens > 0 && m.maxOutputTokens < m.contextWindow, m.id);
    if (m.maxInputTokens !== undefined) assert.ok(m.maxInputTokens <= m.contextWindow, m.id);
    for (const id of [m.id, ...(m.aliases ?? [])]) {
      assert.ok(!ids.has(`${m.provider}:${id}`), `duplicate ${id}`);
      ids.add(`${m.provider}:${id}`);
    }
    // Every entry is found under its own id.
    assert.equal(findCatalogModel(m.provider, m.id), m);
  }
});

test('capabilities: OpenAI reasoning models refuse stop/temperature/top_p; stop counts per provider', () => {
  for (const m of MODEL_CATALOG) {
    if (m.provider === 'openai') {
      assert.equal(m.reasoning, isOpenAIReasoningModel(m.id), m.id);
      assert.equal(m.supportsStop, !m.reasoning, m.id);
      assert.equal(m.supportsTemperature, !m.reasoning, m.id);
      assert.equal(m.maxStopSequences, 4, m.id);
      assert.equal(m.supportsPrefill, false, m.id);
    }
    if (m.provider === 'gemini') assert.equal(m.maxStopSequences, 5, m.id);
    if (m.provider === 'anthropic') {
      assert.equal(m.maxStopSequences, undefined, m.id);
      // Claude 4.6 and later refuse prefill; the catalog agrees with the version rule.
      assert.equal(m.supportsPrefill, claudeTakesPrefill(m.id), m.id);
      assert.equal(m.onlyDefaultSampling === true, claudeAfterOpus46(m.id), m.id);
    }
  }
  assert.equal(findModel('anthropic', 'claude-3-5-haiku')!.thinking, 'none');
  assert.equal(findModel('anthropic', 'claude-3-7-sonnet')!.thinking, 'anthropic-budget');
  assert.equal(findModel('gemini', 'gemini-2.0-flash')!.thinking, 'none');
  assert.equal(findModel('gemini', 'gemini-2.5-pro')!.thinkingCanDisable, false);
});

test('catalog context windows agree with @pydantic/genai-prices bundled data (within 5%)', () => {
  let compared = 0;
  for (const m of MODEL_CATALOG) {
    const providerId = m.provider === 'gemini' ? 'google' : m.provider;
    const r = calcPrice({ input_tokens: 1, output_tokens: 1 }, m.id, { providerId });
    const cw = r?.model.context_window;
    // genai-prices matches by prefix: "gpt-5.2-chat-latest" lands on gpt-5.2 (400K) — only compare like with like.
    if (cw === undefined || !r!.model.id.startsWith(m.id)) continue;
    compared++;
    assert.ok(Math.abs(cw - m.contextWindow) / cw <= 0.05, `${m.id}: catalog ${m.contextWindow}, genai-prices ${cw}`);
  }
  assert.ok(compared >= 40, `compared ${compared}`);
});

const REASONING: [string, boolean][] = [
  ['o1', true],
  ['o3', true],
  ['o3-mini', true],
  ['o4-mini-2025-04-16', true],
  ['o3-pro', true],
  ['gpt-5', true],
  ['gpt-5.2', true],
  ['gpt-5-mini-2025-08-07', true],
  ['gpt-5.3-codex', true],
  ['gpt-5.2-2025-12-11', true],
  ['openai/gpt-5', true],
  ['gpt-4o', false],
  ['gpt-4.1', false],
  ['gpt-4o-mini-2024-07-18', false],
  ['chatgpt-4o-latest', false],
  ['gpt-3.5-turbo', false],
  ['ollama', false],
  ['omni-moderation-latest', false],
  ['llama3.1:8b', false],
];
for (const [id, expected] of REASONING) {
  test(`isOpenAIReasoningModel(${id}) = ${expected}`, () => assert.equal(isOpenAIReasoningModel(id), expected));
}

test('lengthwise.models overrides a catalog entry (by configured or catalog id)', () => {
  const m = findModel('anthropic', 'claude-sonnet-4-5-20250929', { 'claude-sonnet-4-5': { contextWindow: 1_000_000 } })!;
  assert.equal(m.contextWindow, 1_000_000);
  assert.equal(m.maxOutputTokens, 64_000);
  assert.equal(m.overridden, true);
  assert.match(m.source, /lengthwise\.models/);
  const g = findModel('openai', 'gpt-4o', { 'gpt-4o': { maxOutputTokens: 4096 } })!;
  assert.equal(g.maxOutputTokens, 4096);
  assert.equal(g.contextWindow, 128_000);
  // An override for another model does not apply.
  assert.equal(findModel('openai', 'gpt-4o', { 'gpt-4.1': { maxOutputTokens: 5 } })!.maxOutputTokens, 16_384);
});

test('lengthwise.models adds a custom model: provider from settings, permissive capabilities', () => {
  const m = findModel('openai-compatible', 'llama3.1:8b', { 'llama3.1:8b': { contextWindow: 131072, maxOutputTokens: 8192 } })!;
  assert.equal(m.custom, true);
  assert.equal(m.contextWindow, 131072);
  assert.equal(m.maxOutputTokens, 8192);
  assert.equal(m.supportsStop, true);
  assert.equal(m.supportsTemperature, true);
  assert.equal(m.reasoning, false);
  assert.equal(m.supportsPrefill, false);
  assert.equal(m.maxStopSequences, undefined);
  assert.equal(findModel('openai-compatible', 'x', { x: { contextWindow: 1000, supportsPrefill: true } })!.supportsPrefill, true);
  const half = findModel('anthropic', 'claude-custom', { 'claude-custom': { contextWindow: 50_000 } })!;
  assert.equal(half.maxOutputTokens, Number.POSITIVE_INFINITY);
  assert.equal(half.thinking, 'anthropic-budget');
  const r = findModel('openai', 'o9-preview', { 'o9-preview': { contextWindow: 50_000 } })!;
  assert.equal(r.reasoning, true);
  assert.equal(r.supportsStop, false);
  const gem = findModel('gemini', 'gemini-x', { 'gemini-x': { maxOutputTokens: 100 } })!;
  assert.equal(gem.maxStopSequences, 5);
});

const PREFILL: [string, boolean][] = [
  ['claude-sonnet-4-5-20250929', true],
  ['claude-3-5-haiku-latest', true],
  ['claude-3-7-sonnet', true],
  ['claude-opus-4-1', true],
  ['claude-opus-4-6', false],
  ['claude-sonnet-4-6-20260217', false],
  ['claude-4-6-opus', false],
  ['claude-opus-5', false],
  ['claude-sonnet-4-20250514', true],
];
for (const [id, expected] of PREFILL) {
  test(`continued by prefill: ${id} = ${expected}`, () => assert.equal(continuesByPrefill(id), expected));
}

const FORMATS: [number, string][] = [
  [64_000, '64K'],
  [65_536, '64K'],
  [128_000, '128K'],
  [200_000, '200K'],
  [1_048_576, '1M'],
  [1_000_000, '1M'],
  [1_047_576, '1,047,576'],
  [500, '500'],
  [Number.POSITIVE_INFINITY, 'unknown'],
];
for (const [n, s] of FORMATS) test(`formatTokens(${n}) = ${s}`, () => assert.equal(formatTokens(n), s));

// 2026 additions: [provider, id, context window, max output, source mentions]
const FIGURES_2026: [ProviderId, string, number, number, RegExp][] = [
  ['anthropic', 'claude-opus-4-6', 1_000_000, 128_000, /platform\.claude\.com.*genai-prices/],
  ['anthropic', 'claude-sonnet-4-6', 1_000_000, 128_000, /platform\.claude\.com/],
  ['anthropic', 'claude-opus-4-7', 1_000_000, 128_000, /@anthropic-ai\/sdk 0\.137\.0/],
  ['anthropic', 'claude-opus-5', 1_000_000, 128_000, /platform\.claude\.com/],
  ['anthropic', 'claude-sonnet-5-5', 1_000_000, 128_000, /platform\.claude\.com/],
  ['anthropic', 'claude-haiku-5-5', 1_000_000, 128_000, /platform\.claude\.com/],
  ['openai', 'gpt-5.4', 1_050_000, 128_000, /openai 6\.30\.1 ChatModel.*genai-prices/],
  ['openai', 'gpt-5.5', 1_000_000, 128_000, /genai-prices/],
  ['openai', 'gpt-6-sol', 1_050_000, 128_000, /developers\.openai\.com/],
  ['openai', 'gpt-5.3-chat-latest', 128_000, 16_384, /genai-prices/],
  ['gemini', 'gemini-3.5-flash', 1_048_576, 65_536, /Gemini model guides/],
  ['gemini', 'gemini-3.1-pro-preview', 1_048_576, 65_536, /@google\/genai 2\.32\.0/],
  ['gemini', 'gemini-4-argon', 1_048_576, 65_536, /Gemini 4/],
];
for (const [provider, id, cw, out, src] of FIGURES_2026) {
  test(`2026 catalog figures: ${id} ${formatTokens(cw)} / ${formatTokens(out)}, with its source`, () => {
    const m = findModel(provider, id)!;
    assert.deepEqual([m.contextWindow, m.maxOutputTokens], [cw, out]);
    assert.match(m.source, src);
  });
}

test('Claude after Opus 4.6: default sampling only, adaptive thinking, no prefill; 4.6 itself keeps temperature and budgets', () => {
  for (const id of ['claude-opus-4-7', 'claude-opus-4-8', 'claude-sonnet-5', 'claude-opus-5-5', 'claude-fable-5-1', 'claude-haiku-5-5']) {
    const m = findModel('anthropic', id)!;
    assert.equal(m.onlyDefaultSampling, true, id);
    assert.equal(m.thinking, 'adaptive', id);
    assert.equal(m.supportsPrefill, false, id);
  }
  for (const id of ['claude-opus-4-6', 'claude-sonnet-4-6']) {
    const m = findModel('anthropic', id)!;
    assert.equal(m.onlyDefaultSampling, undefined, id);
    assert.equal(m.thinking, 'anthropic-budget', id);
    assert.equal(m.supportsPrefill, false, id);
  }
  // Mythos Preview refuses sampling but still takes a (deprecated) budget; its limits are unknown and say so.
  const mp = findModel('anthropic', 'claude-mythos-preview')!;
  assert.equal(mp.onlyDefaultSampling, true);
  assert.equal(mp.thinking, 'anthropic-budget');
  assert.equal(mp.maxOutputTokens, Number.POSITIVE_INFINITY);
  assert.match(mp.uncertain!.why, /lengthwise\.models/);
  assert.equal(findModel('anthropic', 'claude-opus-5')!.thinkingByDefault, true);
  assert.equal(findModel('anthropic', 'claude-opus-4-8')!.thinkingByDefault, undefined);
  assert.match(findModel('anthropic', 'claude-sonnet-4-5')!.contextNote!, /retired 2026-04-30/);
});

const AFTER_OPUS_46: [string, boolean][] = [
  ['claude-opus-4-6', false],
  ['claude-sonnet-4-6-20260217', false],
  ['claude-opus-4-7', true],
  ['claude-opus-4-9', true],
  ['claude-sonnet-5', true],
  ['claude-haiku-6', true],
  ['claude-fable-5-2', true],
  ['claude-mythos-preview', true],
  ['claude-3-7-sonnet', false],
  ['claude-4-6-opus', false],
  ['claude-sonnet-4-20250514', false],
  ['claude-opus-4-7@20260416', true],
];
for (const [id, expected] of AFTER_OPUS_46) {
  test(`claudeAfterOpus46(${id}) = ${expected}`, () => assert.equal(claudeAfterOpus46(id), expected));
}

test('uncertain figures: marked in the catalog; a lengthwise.models override of that figure clears the mark', () => {
  const sol = findModel('openai', 'gpt-5.6-sol')!;
  assert.deepEqual(sol.uncertain?.fields, ['maxOutputTokens']);
  assert.equal(findModel('openai', 'gpt-5.6-sol', { 'gpt-5.6-sol': { maxOutputTokens: 272_000 } })!.uncertain, undefined);
  // Overriding the window does not vouch for the output limit.
  assert.deepEqual(findModel('openai', 'gpt-5.6-sol', { 'gpt-5.6-sol': { contextWindow: 1_000_000 } })!.uncertain?.fields, ['maxOutputTokens']);
  assert.equal(findModel('openai', 'gpt-6-sol')!.uncertain, undefined, 'OpenAI states GPT-6 Sol limits itself');
});

// Issue 28: a 300,000-token selection was sent to gpt-5.2-pro (no input cap in its entry) while gpt-5.2 refused it.
test('the GPT-5 400K models cap input at 272,000: gpt-5.2-pro refuses a 300,000-token prompt like gpt-5.2', async () => {
  const { effectiveMaxTokens } = await import('../../../src/core/models/limits');
  for (const id of ['gpt-5.2', 'gpt-5.2-pro', 'gpt-5.1-codex-max', 'gpt-5.2-codex']) {
    const m = findModel('openai', id);
    assert.ok(m, `${id} is in the catalog`);
    assert.equal(m.maxInputTokens, 272_000, `${id}: 272K input of its 400K window`);
    const r = effectiveMaxTokens(1024, m, 300_000, true);
    assert.match(r.errors[0]?.message ?? '', /accepts at most 272,000 input tokens/, `${id} refuses 300,000 input tokens`);
  }
});

test('the Responses-only models OpenAI added: gpt-5.4-pro, gpt-5.5-pro, gpt-5.1-codex-max, gpt-5.2-codex, gpt-5.3-codex-spark', () => {
  const expected: [string, number, number][] = [
    ['gpt-5.4-pro', 1_050_000, 128_000],
    ['gpt-5.5-pro', 1_000_000, 128_000],
    ['gpt-5.1-codex-max', 400_000, 128_000],
    ['gpt-5.2-codex', 400_000, 128_000],
    ['gpt-5.3-codex-spark', 128_000, 32_000],
  ];
  for (const [id, window, output] of expected) {
    const m = findCatalogModel('openai', id);
    assert.ok(m, `${id} is in the catalog`);
    assert.equal(m.id, id, `${id} has its own entry (not a prefix match)`);
    assert.equal(m.contextWindow, window, `${id} window`);
    assert.equal(m.maxOutputTokens, output, `${id} output`);
    assert.equal(m.responsesOnly, true, `${id} is served by the Responses API only`);
    assert.equal(m.reasoning, true);
  }
  assert.ok(findCatalogModel('openai', 'gpt-5.3-codex-spark')!.uncertain?.fields.includes('maxOutputTokens'), 'the Spark output limit is marked as assumed');
});

// A source that names @pydantic/genai-prices for a window must agree with it, or say what the data says instead
// (issue 28: "matches genai-prices" stood on the gpt-4.1 family, gpt-5-chat-latest and Gemini entries, whose
// windows come from the providers' pages while the data says otherwise).
test('a catalog source that names @pydantic/genai-prices agrees with its context window or states the difference', async () => {
  const { bundledPrice } = await import('../../../src/core/pricing/prices');
  const wrong: string[] = [];
  for (const m of MODEL_CATALOG) {
    if (!m.source.includes('genai-prices')) continue;
    const data = bundledPrice(m.provider, m.id)?.contextWindow;
    if (data === m.contextWindow) continue;
    const stated = data === undefined ? /genai-prices[^;]* (has|gives) no (context )?window/.test(m.source) : m.source.includes(`genai-prices 0.1.8 lists ${data.toLocaleString('en-US')}`);
    if (!stated) wrong.push(`${m.id}: catalog ${m.contextWindow}, genai-prices ${data ?? 'none'} — "${m.source.slice(0, 120)}"`);
  }
  assert.deepEqual(wrong, []);
});
