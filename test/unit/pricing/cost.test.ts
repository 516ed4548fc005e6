import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calcPrice } from '@pydantic/genai-prices';
import {
  OVERRIDE_SOURCE,
  costBreakdown,
  costOf,
  findPrice,
  formatUsd,
  worstCaseCost,
  type PricingOverride,
} from '../../../src/core/pricing/cost';
import { PRICE_DATA } from '../../../src/core/pricing/prices';
import type { ProviderId, Usage } from '../../../src/core/protocol/request';

const close = (actual: number | null, expected: number, msg?: string) => {
  assert.notEqual(actual, null, msg);
  assert.ok(Math.abs((actual as number) - expected) < 1e-6, `${msg ?? ''}: ${actual} != ${expected}`);
};

interface Golden {
  name: string;
  provider: ProviderId;
  model: string;
  usage: Usage;
  usd: number | null;
  overrides?: Record<string, PricingOverride>;
  baseUrl?: string;
}

// Hand-computed from the providers' list prices (USD per million tokens) in the bundled data.
const GOLDEN: Golden[] = [
  { name: 'gpt-4o plain', provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1000, outputTokens: 500 }, usd: 0.0075 },
  {
    // OpenAI: cached_tokens are part of prompt_tokens; 400 × 2.50 + 600 × 1.25 + 200 × 10
    name: 'gpt-4o cached input (OpenAI-style)',
    provider: 'openai',
    model: 'gpt-4o',
    usage: { inputTokens: 1000, cacheReadTokens: 600, outputTokens: 200 },
    usd: 0.00375,
  },
  { name: 'dated OpenAI id', provider: 'openai', model: 'gpt-4o-2024-08-06', usage: { inputTokens: 1000, outputTokens: 500 }, usd: 0.0075 },
  { name: 'gpt-4.1-mini', provider: 'openai', model: 'gpt-4.1-mini', usage: { inputTokens: 10_000, outputTokens: 2000 }, usd: 0.0072 },
  {
    // Reasoning tokens are inside outputTokens and billed as output: 2000 × 2 + 5000 × 8
    name: 'o3 reasoning billed as output',
    provider: 'openai',
    model: 'o3',
    usage: { inputTokens: 2000, outputTokens: 5000, reasoningTokens: 4000 },
    usd: 0.044,
  },
  {
    name: 'gpt-5 cached + reasoning',
    provider: 'openai',
    model: 'gpt-5',
    usage: { inputTokens: 1000, cacheReadTokens: 800, outputTokens: 100, reasoningTokens: 60 },
    usd: 0.00135,
  },
  { name: 'gpt-4 (older, cl100k era)', provider: 'openai', model: 'gpt-4', usage: { inputTokens: 1000, outputTokens: 1000 }, usd: 0.09 },
  {
    // Anthropic input_tokens 1000 + cache_creation 2000 + cache_read 10000 → normalized inputTokens 13000
    // 1000 × 3 + 2000 × 3.75 + 10000 × 0.30 + 500 × 15
    name: 'Sonnet 4.5 cache read + write (Anthropic-style)',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    usage: { inputTokens: 13_000, cacheWriteTokens: 2000, cacheReadTokens: 10_000, outputTokens: 500 },
    usd: 0.021,
  },
  {
    name: 'Sonnet 4.5 dated id',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    usage: { inputTokens: 13_000, cacheWriteTokens: 2000, cacheReadTokens: 10_000, outputTokens: 500 },
    usd: 0.021,
  },
  {
    // Above 200K input tokens the whole request is billed at $6 / $22.50
    name: 'Sonnet 4.5 above 200K',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    usage: { inputTokens: 250_000, outputTokens: 1000 },
    usd: 1.5225,
  },
  {
    name: 'Sonnet 4.5 at exactly 200K stays at the base rate',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    usage: { inputTokens: 200_000, outputTokens: 1000 },
    usd: 0.615,
  },
  {
    name: 'Sonnet 4.5 at 200,001',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    usage: { inputTokens: 200_001, outputTokens: 1000 },
    usd: 1.222506,
  },
  {
    // Tier applies to cache prices too: 40000 × 6 + 250000 × 0.60 + 10000 × 7.50 + 2000 × 22.50
    name: 'Sonnet 4.5 above 200K with cache',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    usage: { inputTokens: 300_000, cacheReadTokens: 250_000, cacheWriteTokens: 10_000, outputTokens: 2000 },
    usd: 0.51,
  },
  { name: 'Haiku 4.5', provider: 'anthropic', model: 'claude-haiku-4-5', usage: { inputTokens: 5000, outputTokens: 1000 }, usd: 0.01 },
  {
    // 10000 × 15 + 40000 × 18.75 + 1000 × 75
    name: 'Opus 4.1 cache write',
    provider: 'anthropic',
    model: 'claude-opus-4-1',
    usage: { inputTokens: 50_000, cacheWriteTokens: 40_000, outputTokens: 1000 },
    usd: 0.975,
  },
  { name: 'Gemini 2.5 Pro', provider: 'gemini', model: 'gemini-2.5-pro', usage: { inputTokens: 100_000, outputTokens: 10_000 }, usd: 0.225 },
  {
    name: 'Gemini 2.5 Pro above 200K ($2.50 / $15)',
    provider: 'gemini',
    model: 'gemini-2.5-pro',
    usage: { inputTokens: 300_000, outputTokens: 10_000 },
    usd: 0.9,
  },
  {
    // candidatesTokenCount 200 + thoughtsTokenCount 800 = outputTokens 1000, all at the output rate
    name: 'Gemini 2.5 Pro thoughts billed as output',
    provider: 'gemini',
    model: 'gemini-2.5-pro',
    usage: { inputTokens: 1000, outputTokens: 1000, reasoningTokens: 800 },
    usd: 0.01125,
  },
  {
    // 2000 × 0.30 + 8000 × 0.03 (cachedContentTokenCount) + 500 × 2.50
    name: 'Gemini 2.5 Flash cached content + thoughts',
    provider: 'gemini',
    model: 'models/gemini-2.5-flash',
    usage: { inputTokens: 10_000, cacheReadTokens: 8000, outputTokens: 500, reasoningTokens: 300 },
    usd: 0.00209,
  },
  {
    name: 'unknown OpenAI-compatible model → null',
    provider: 'openai-compatible',
    model: 'llama3.1:8b',
    baseUrl: 'http://localhost:11434/v1',
    usage: { inputTokens: 1000, outputTokens: 1000 },
    usd: null,
  },
  { name: 'unknown Claude model → null', provider: 'anthropic', model: 'claude-nonexistent-9', usage: { inputTokens: 1, outputTokens: 1 }, usd: null },
  {
    name: 'OpenAI-compatible server known by URL (Groq)',
    provider: 'openai-compatible',
    model: 'llama-3.3-70b-versatile',
    baseUrl: 'https://api.groq.com/openai/v1',
    usage: { inputTokens: 10_000, outputTokens: 1000 },
    usd: 0.00669,
  },
  {
    // 6000 × 0.50 + 4000 × 0.05 + 2000 × 1.50
    name: 'user pricing for a custom model',
    provider: 'openai-compatible',
    model: 'llama3.1:8b',
    baseUrl: 'http://localhost:11434/v1',
    overrides: { 'llama3.1:8b': { input: 0.5, output: 1.5, cacheRead: 0.05 } },
    usage: { inputTokens: 10_000, cacheReadTokens: 4000, outputTokens: 2000 },
    usd: 0.0062,
  },
  {
    name: 'user pricing overrides bundled data',
    provider: 'openai',
    model: 'gpt-4o',
    overrides: { 'gpt-4o': { input: 1, output: 2 } },
    usage: { inputTokens: 1000, outputTokens: 1000 },
    usd: 0.003,
  },
  {
    name: 'partial user pricing keeps the other bundled rates',
    provider: 'openai',
    model: 'gpt-4o',
    overrides: { 'gpt-4o': { output: 20 } },
    usage: { inputTokens: 1000, outputTokens: 1000 },
    usd: 0.0225,
  },
  {
    // OpenAI has no cache-write price: writes are billed at the input rate (as genai-prices does)
    name: 'missing cache-write price → input rate',
    provider: 'openai',
    model: 'gpt-4o',
    usage: { inputTokens: 2000, cacheWriteTokens: 1000, outputTokens: 0 },
    usd: 0.005,
  },
  { name: 'zero usage with a known price is $0, not unknown', provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 0, outputTokens: 0 }, usd: 0 },
  {
    // 1-hour writes at cache_write_1h_mtok ($6): 1000 × 3 + 1000 × 3.75 + 3000 × 6 + 5000 × 0.30 + 200 × 15
    name: 'Sonnet 4.5 mixed: 5-minute and 1-hour cache writes, reads',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    usage: { inputTokens: 10_000, cacheWriteTokens: 4000, cacheWrite1hTokens: 3000, cacheReadTokens: 5000, outputTokens: 200 },
    usd: 0.02925,
  },
  {
    // 2000 × 5 + 8000 × 10 (Opus 4.5 1-hour writes $10) + 100 × 25
    name: 'Opus 4.5 only 1-hour cache writes',
    provider: 'anthropic',
    model: 'claude-opus-4-5',
    usage: { inputTokens: 10_000, cacheWriteTokens: 8000, cacheWrite1hTokens: 8000, outputTokens: 100 },
    usd: 0.0925,
  },
  {
    // Above 200K the 1-hour tier rate applies too ($12): 200,000 × 6 + 10,000 × 12 + 1000 × 22.5
    name: 'Sonnet 4.5 above 200K: 1-hour writes at the tier rate',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    usage: { inputTokens: 210_000, cacheWriteTokens: 10_000, cacheWrite1hTokens: 10_000, outputTokens: 1000 },
    usd: 1.3425,
  },
  {
    // No 1-hour rate (a user price): 2× the input rate. 1000 × 2 + 1000 × 4 + 100 × 8
    name: 'user price without a 1-hour rate → 2× input',
    provider: 'openai-compatible',
    model: 'my-claude-proxy',
    overrides: { 'my-claude-proxy': { input: 2, output: 8, cacheWrite: 2.5 } },
    usage: { inputTokens: 2000, cacheWriteTokens: 1000, cacheWrite1hTokens: 1000, outputTokens: 100 },
    usd: 0.0068,
  },
  {
    name: 'catalog alias claude-4-5-sonnet is priced as claude-sonnet-4-5',
    provider: 'anthropic',
    model: 'claude-4-5-sonnet',
    usage: { inputTokens: 1000, outputTokens: 1000 },
    usd: 0.018,
  },
  {
    name: 'catalog alias gemini-3-pro is priced as gemini-3-pro-preview',
    provider: 'gemini',
    model: 'gemini-3-pro',
    usage: { inputTokens: 1000, outputTokens: 1000 },
    usd: 0.014,
  },
  // lengthwise.pricing matches ids the way the catalog does (issue 28: an entry for claude-sonnet-4-5 was ignored
  // for claude-sonnet-4-5-20250929, which was charged the bundled $0.021 instead of $0.003).
  {
    // 2000 × 1 + 1000 × 1 per million
    name: 'override for claude-sonnet-4-5 applies to its dated id',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    overrides: { 'claude-sonnet-4-5': { input: 1, output: 1 } },
    usage: { inputTokens: 2000, outputTokens: 1000 },
    usd: 0.003,
  },
  {
    name: 'override for claude-sonnet-4-5 applies to its alias claude-4-5-sonnet',
    provider: 'anthropic',
    model: 'claude-4-5-sonnet',
    overrides: { 'claude-sonnet-4-5': { input: 1, output: 1 } },
    usage: { inputTokens: 2000, outputTokens: 1000 },
    usd: 0.003,
  },
  {
    name: 'override under the alias applies to the dated id of the model it names',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    overrides: { 'claude-4-5-sonnet': { input: 1, output: 1 } },
    usage: { inputTokens: 2000, outputTokens: 1000 },
    usd: 0.003,
  },
  {
    // The most specific key wins: 2000 × 2 + 1000 × 2
    name: 'an override for the dated id beats one for its model',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    overrides: { 'claude-sonnet-4-5': { input: 1, output: 1 }, 'claude-sonnet-4-5-20250929': { input: 2, output: 2 } },
    usage: { inputTokens: 2000, outputTokens: 1000 },
    usd: 0.006,
  },
  {
    // 1000 × 0.5 + 1000 × 1 per million
    name: 'override for gpt-4o applies to the snapshot gpt-4o-2024-08-06',
    provider: 'openai',
    model: 'gpt-4o-2024-08-06',
    overrides: { 'gpt-4o': { input: 0.5, output: 1 } },
    usage: { inputTokens: 1000, outputTokens: 1000 },
    usd: 0.0015,
  },
  {
    // Only the cache price overridden on a dated id: the bundled input/output stay. 1000 × 3 + 1000 × 15
    name: 'cache-only override on a dated id keeps the bundled rates',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    overrides: { 'claude-sonnet-4-5': { cacheRead: 0.1 } },
    usage: { inputTokens: 1000, outputTokens: 1000 },
    usd: 0.018,
  },
  // OpenAI's long-context rates apply "above 272K" input tokens: 272,000 is still the base rate; the price data's
  // tier starts at 271,999 (a tier there applies from 272,000).
  {
    // 272,000 × 2.50 + 1000 × 15
    name: 'gpt-5.4 at exactly 272,000 input tokens: base rates',
    provider: 'openai',
    model: 'gpt-5.4',
    usage: { inputTokens: 272_000, outputTokens: 1000 },
    usd: 0.695,
  },
  {
    // 272,001 × 5 + 1000 × 22.50
    name: 'gpt-5.4 at 272,001 input tokens: the whole request at the long-context rates',
    provider: 'openai',
    model: 'gpt-5.4',
    usage: { inputTokens: 272_001, outputTokens: 1000 },
    usd: 1.382505,
  },
  {
    // 272,000 × 30 + 1000 × 180
    name: 'gpt-5.4-pro at exactly 272,000: base rates',
    provider: 'openai',
    model: 'gpt-5.4-pro',
    usage: { inputTokens: 272_000, outputTokens: 1000 },
    usd: 8.34,
  },
  {
    // Below the boundary every rate is the base one: 261,999 × 5 + 10,000 × 0.50 + 1000 × 30
    name: 'gpt-5.5 at 271,999 input tokens with cache reads: base rates',
    provider: 'openai',
    model: 'gpt-5.5',
    usage: { inputTokens: 271_999, cacheReadTokens: 10_000, outputTokens: 1000 },
    usd: 1.344995,
  },
  {
    // 262,001 × 10 + 10,000 × 1 + 1000 × 45
    name: 'gpt-5.5 at 272,001 with cache reads: tier rates for every kind',
    provider: 'openai',
    model: 'gpt-5.5',
    usage: { inputTokens: 272_001, cacheReadTokens: 10_000, outputTokens: 1000 },
    usd: 2.67501,
  },
];

test(`golden cost cases (${GOLDEN.length}), exact to 1e-6 USD`, () => {
  assert.ok(GOLDEN.length >= 20);
  for (const g of GOLDEN) {
    const price = findPrice(g.provider, g.model, g.overrides, { baseUrl: g.baseUrl });
    const usd = costOf(g.usage, price);
    if (g.usd === null) assert.equal(usd, null, g.name);
    else close(usd, g.usd, g.name);
  }
});

test('costOf agrees with genai-prices calcPrice across models and usages', () => {
  const models: [ProviderId, string, string][] = [
    ['openai', 'gpt-4o', 'openai'],
    ['openai', 'gpt-4.1-mini', 'openai'],
    ['openai', 'gpt-5', 'openai'],
    ['openai', 'o4-mini', 'openai'],
    ['anthropic', 'claude-sonnet-4-5', 'anthropic'],
    ['anthropic', 'claude-opus-4-1', 'anthropic'],
    ['anthropic', 'claude-3-5-haiku-20241022', 'anthropic'],
    ['gemini', 'gemini-2.5-pro', 'google'],
    ['gemini', 'gemini-2.5-flash', 'google'],
    ['gemini', 'gemini-2.0-flash', 'google'],
  ];
  const usages: Usage[] = [
    { inputTokens: 1234, outputTokens: 567 },
    { inputTokens: 50_000, cacheReadTokens: 30_000, outputTokens: 4000 },
    { inputTokens: 50_000, cacheWriteTokens: 20_000, cacheReadTokens: 10_000, outputTokens: 4000 },
    { inputTokens: 250_000, cacheReadTokens: 100_000, outputTokens: 9000 },
    { inputTokens: 200_000, outputTokens: 1 },
    { inputTokens: 999_999, cacheWriteTokens: 1, outputTokens: 65_536 },
  ];
  for (const [provider, model, gpId] of models) {
    const price = findPrice(provider, model);
    assert.ok(price, `${provider} ${model} has a price`);
    for (const u of usages) {
      const ref = calcPrice(
        { input_tokens: u.inputTokens, cache_read_tokens: u.cacheReadTokens ?? 0, cache_write_tokens: u.cacheWriteTokens ?? 0, output_tokens: u.outputTokens },
        model,
        { providerId: gpId },
      );
      assert.ok(ref);
      close(costOf(u, price), ref.total_price, `${model} ${JSON.stringify(u)}`);
    }
  }
});

test('prices carry source and date; tiers follow genai-prices (whole request above 200K)', () => {
  const sonnet = findPrice('anthropic', 'claude-sonnet-4-5-20250929');
  assert.ok(sonnet);
  assert.equal(sonnet.model, 'claude-sonnet-4-5');
  assert.match(sonnet.source, /^@pydantic\/genai-prices 0\.1\.8 \(Anthropic · claude-sonnet-4-5\)$/);
  assert.equal(sonnet.date, PRICE_DATA.date);
  assert.deepEqual(
    [sonnet.inputPerM, sonnet.outputPerM, sonnet.cacheReadPerM, sonnet.cacheWritePerM, sonnet.cacheWrite1hPerM],
    [3, 15, 0.3, 3.75, 6],
  );
  assert.deepEqual(sonnet.tiers, [{ aboveInputTokens: 200_000, inputPerM: 6, outputPerM: 22.5, cacheReadPerM: 0.6, cacheWritePerM: 7.5, cacheWrite1hPerM: 12 }]);
  const pro = findPrice('gemini', 'gemini-2.5-pro');
  assert.deepEqual(pro?.tiers, [{ aboveInputTokens: 200_000, inputPerM: 2.5, outputPerM: 15, cacheReadPerM: 0.25 }]);
  assert.equal(findPrice('openai', 'claude-sonnet-4-5'), undefined, 'no cross-provider guessing');
  assert.equal(findPrice('openai', ''), undefined);
});

test('the bundled data version and date stay true to the installed package', () => {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', '..', 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8'),
  ) as { version: string };
  assert.equal(pkg.version, PRICE_DATA.version, 'genai-prices was upgraded: update PRICE_DATA.version and its publish date in prices.ts');
});

test('price lookups never touch the network', () => {
  const realFetch = globalThis.fetch;
  let calls = 0;
  globalThis.fetch = (() => {
    calls++;
    throw new Error('network');
  }) as typeof fetch;
  try {
    findPrice('openai', 'gpt-4o-mini', undefined, { at: new Date('2026-01-01') });
    findPrice('gemini', 'gemini-2.5-flash-lite');
    findPrice('openai-compatible', 'deepseek-chat', undefined, { baseUrl: 'https://api.deepseek.com/v1' });
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(calls, 0);
});

test('user overrides: source says so, partial overrides merge, unusable overrides give unknown', () => {
  const own = findPrice('openai-compatible', 'my-model', { 'my-model': { input: 0.5, output: 1.5 } }, { baseUrl: 'http://127.0.0.1:8080/v1' });
  assert.equal(own?.source, OVERRIDE_SOURCE);
  assert.equal(own?.source, 'lengthwise.pricing (your setting)');
  assert.equal(own?.date, '');
  const caseInsensitive = findPrice('openai', 'GPT-4o', { 'gpt-4o': { input: 1, output: 2 } });
  assert.equal(caseInsensitive?.inputPerM, 1);
  const partial = findPrice('anthropic', 'claude-sonnet-4-5', { 'claude-sonnet-4-5': { cacheWrite: 5 } });
  assert.ok(partial?.source.startsWith(`${OVERRIDE_SOURCE} over @pydantic/genai-prices`));
  assert.equal(partial?.cacheWritePerM, 5);
  assert.equal(partial?.tiers?.[0].cacheWritePerM, 5, 'only cache prices overridden: tiers kept');
  assert.equal(partial?.tiers?.[0].inputPerM, 6);
  const flat = findPrice('anthropic', 'claude-sonnet-4-5', { 'claude-sonnet-4-5': { input: 2, output: 10 } });
  assert.equal(flat?.tiers, undefined, 'own input/output price is flat');
  close(costOf({ inputTokens: 300_000, outputTokens: 0 }, flat), 0.6);
  // Only an output price for a model nobody knows: input unknown → price unknown, never $0 input.
  assert.equal(findPrice('openai-compatible', 'x', { x: { output: 1 } }, { baseUrl: 'http://localhost/v1' }), undefined);
  // Garbage values (negative, strings) are ignored.
  assert.equal(findPrice('openai', 'gpt-4o', { 'gpt-4o': { input: -1, output: 'a' as unknown as number } })?.inputPerM, 2.5);
});

test('cost breakdown marks cache tokens billed at the input rate', () => {
  const b = costBreakdown({ inputTokens: 2000, cacheWriteTokens: 1000, outputTokens: 10 }, findPrice('openai', 'gpt-4o'));
  assert.ok(b);
  const write = b.parts.find((p) => p.kind === 'cacheWrite');
  assert.deepEqual(write, { kind: 'cacheWrite', tokens: 1000, perM: 2.5, usd: 0.0025, atInputRate: true });
  assert.match(b.notes.join(' '), /cache writes billed at the input rate/);
  const own = findPrice('openai-compatible', 'm', { m: { input: 1, output: 1 } }, { baseUrl: 'http://localhost/v1' });
  const r = costBreakdown({ inputTokens: 100, cacheReadTokens: 100, outputTokens: 0 }, own);
  assert.equal(r?.parts.find((p) => p.kind === 'cacheRead')?.atInputRate, true);
  const tiered = costBreakdown({ inputTokens: 300_000, outputTokens: 1 }, findPrice('gemini', 'gemini-2.5-pro'));
  assert.equal(tiered?.tier?.aboveInputTokens, 200_000);
  assert.equal(costBreakdown({ inputTokens: 1, outputTokens: 1 }, undefined), null);
});

test('worst-case cost before sending', () => {
  const sonnet = findPrice('anthropic', 'claude-sonnet-4-5');
  close(worstCaseCost(1204, 1024, sonnet), 0.018972); // 1204 × 3 + 1024 × 15
  close(worstCaseCost(250_000, 8192, sonnet), 1.68432); // tier: 250000 × 6 + 8192 × 22.50
  close(worstCaseCost(1000, 128_000, findPrice('openai', 'gpt-5.2')), 1.79375); // 1000 × 1.75 + 128000 × 14
  assert.equal(worstCaseCost(1000, 1000, undefined), null);
});

test('formatUsd', () => {
  assert.equal(formatUsd(null), 'price unknown');
  assert.equal(formatUsd(0), '$0.00');
  assert.equal(formatUsd(0.0157), '$0.0157');
  assert.equal(formatUsd(0.018972), '$0.019');
  assert.equal(formatUsd(0.5), '$0.50');
  assert.equal(formatUsd(0.123456), '$0.123');
  assert.equal(formatUsd(0.000123456), '$0.000123');
  assert.equal(formatUsd(0.00000042), '$0.00000042');
  assert.equal(formatUsd(0.9999), '$1.00');
  assert.equal(formatUsd(12.34), '$12.34');
  assert.equal(formatUsd(1234.5), '$1,234.50');
  assert.equal(formatUsd(Number.NaN), 'price unknown');
});

test('priceFor: a catalog model on a local OpenAI-compatible server keeps its price; the official provider through a proxy too', async () => {
  const { priceFor } = await import('../../../src/core/pricing/cost');
  assert.equal(priceFor({ provider: 'openai-compatible', model: 'gpt-4.1-mini', baseUrl: 'http://127.0.0.1:11434/v1' })?.model, 'gpt-4.1-mini');
  assert.ok(priceFor({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'http://127.0.0.1:8080/v1' }));
  assert.equal(priceFor({ provider: 'openai-compatible', model: 'my-model', baseUrl: 'http://127.0.0.1:1/v1', pricing: { 'my-model': { input: 1, output: 2 } } })?.outputPerM, 2);
});
