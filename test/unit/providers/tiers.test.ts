// Each provider's tier facts as the rest of core reads them: whether a tier is sent for a model, the word a response
// uses for the tier that served, and an error that is the provider refusing a tier.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planRequest } from '../../../src/core/generation/plan';
import { findCatalogModel } from '../../../src/core/models/models';
import { bundledPriorityRates } from '../../../src/core/pricing/tierPrices';
import { servedTier, tierDecision, tierRefusal } from '../../../src/core/providers/tiers';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../../src/core/settings/settings';

const plan = (over: Partial<LengthwiseSettings>) => planRequest({ settings: { ...DEFAULT_SETTINGS, ...over }, prompt: 'q', inputTokens: 10, inputTokensExact: true });

describe('tiers: what is sent', () => {
  it('standard sends nothing; OpenAI flex and priority go as asked', () => {
    assert.equal(plan({}).request!.serviceTier, undefined);
    assert.equal(plan({ serviceTier: 'flex' }).request!.serviceTier, 'flex');
    assert.equal(plan({ model: 'gpt-5', serviceTier: 'priority' }).request!.serviceTier, 'priority');
  });
  it('Anthropic has no flex: left out with a note, the request goes at standard', () => {
    const p = plan({ provider: 'anthropic', model: 'claude-sonnet-4-5', serviceTier: 'flex' });
    assert.equal(p.request!.serviceTier, undefined);
    assert.ok(p.notes.includes('lengthwise.serviceTier "flex" not sent: Anthropic sells no flex tier — the request goes at the standard tier.'), p.notes.join('\n'));
  });
  it('Anthropic priority is fast mode, only on the models that offer it', () => {
    assert.equal(plan({ provider: 'anthropic', model: 'claude-opus-5', serviceTier: 'priority' }).request!.serviceTier, 'priority');
    const p = plan({ provider: 'anthropic', model: 'claude-sonnet-5', serviceTier: 'priority' });
    assert.equal(p.request!.serviceTier, undefined);
    assert.ok(p.notes.some((n) => n.startsWith('lengthwise.serviceTier "priority" not sent: claude-sonnet-5 does not offer the priority tier (speed: "fast" (fast mode))')), p.notes.join('\n'));
  });
  it('an OpenAI-compatible server: not sent, its tiers are not known here', () => {
    const p = plan({ provider: 'openai-compatible', model: 'x', baseUrl: 'http://127.0.0.1:1/v1', serviceTier: 'flex' });
    assert.equal(p.request!.serviceTier, undefined);
    assert.match(p.notes.join('\n'), /"flex" not sent: the flex tier of an OpenAI-compatible server and its price are not known here/);
  });
  it('a tier without a known price says so before anything is sent', () => {
    const p = plan({ provider: 'anthropic', model: 'claude-opus-5-5', serviceTier: 'priority' });
    assert.equal(p.request!.serviceTier, 'priority');
    assert.ok(p.notes.some((n) => /^no priority price is known for "claude-opus-5-5": .*price unknown \(never \$0\).*lengthwise\.pricing/.test(n)), p.notes.join('\n'));
  });
  it('Gemini: flex and priority are sent for any model (the server serves or refuses them)', () => {
    assert.deepEqual(tierDecision('gemini', 'gemini-2.5-flash', 'priority'), { send: 'priority' });
  });
});

describe('tiers: what the response says', () => {
  it('OpenAI: "default" is standard; flex and priority as named', () => {
    assert.deepEqual(['default', 'flex', 'priority', 'scale', 'auto'].map((w) => servedTier('openai', w)), ['standard', 'flex', 'priority', undefined, undefined]);
  });
  it('Gemini: the header words, any case', () => {
    assert.deepEqual(['standard', 'FLEX', 'Priority', 'SERVICE_TIER_PRIORITY'].map((w) => servedTier('gemini', w)), ['standard', 'flex', 'priority', 'priority']);
  });
  it('Anthropic: usage.speed "fast" is priority', () => {
    assert.deepEqual(['fast', 'standard'].map((w) => servedTier('anthropic', w)), ['priority', 'standard']);
  });
  it('a long or unknown word is not a tier', () => {
    assert.equal(servedTier('openai', 'priority'.repeat(10)), undefined);
    assert.equal(servedTier('openai', '__proto__'), undefined);
  });
});

describe('tiers: refusals', () => {
  it("OpenAI flex: 429 Resource Unavailable is 'busy'; a plain rate limit is not", () => {
    assert.equal(tierRefusal('openai', 'flex', 429, 'OpenAI rate limit reached (429): Resource unavailable. Please try again later.'), 'busy');
    assert.equal(tierRefusal('openai', 'flex', 429, 'Rate limit reached for gpt-5 in organization org-x on tokens per min.'), undefined);
    assert.equal(tierRefusal('openai', 'priority', 429, 'Resource unavailable'), undefined, 'only flex is refused for capacity');
  });
  it("OpenAI: 400 'Unsupported service_tier: flex' is 'not-offered'", () => {
    assert.equal(tierRefusal('openai', 'flex', 400, 'OpenAI refused the request (400): Unsupported service_tier: flex'), 'not-offered');
  });
  it('Gemini flex: 503 UNAVAILABLE; Anthropic fast mode: 429 or 529', () => {
    assert.equal(tierRefusal('gemini', 'flex', 503, 'The model is overloaded. UNAVAILABLE'), 'busy');
    assert.equal(tierRefusal('anthropic', 'priority', 529, 'Overloaded'), 'busy');
    assert.equal(tierRefusal('anthropic', 'priority', 400, 'speed: fast mode is not supported for this model'), 'not-offered');
  });
  it('no status (a broken connection): not a refusal', () => {
    assert.equal(tierRefusal('openai', 'flex', undefined, 'resource unavailable'), undefined);
  });
});

describe('tiers: the bundled priority rates name real models', () => {
  it('every id in the priority tables is a catalog model of its provider (or its snapshot)', () => {
    for (const [provider, ids] of [
      ['openai', ['gpt-5.5', 'gpt-5.4-mini', 'gpt-5.4', 'gpt-5.2', 'gpt-5.1', 'gpt-5', 'gpt-5-mini', 'gpt-5.1-codex', 'gpt-5-codex', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-mini', 'o3', 'o4-mini']],
      ['anthropic', ['claude-opus-5']],
    ] as const) {
      for (const id of ids) {
        assert.ok(bundledPriorityRates(provider, id), `${provider} ${id} has priority rates`);
        assert.ok(findCatalogModel(provider, id), `${provider} ${id} is in the catalog`);
      }
    }
    assert.equal(bundledPriorityRates('openai', 'gpt-4o-2024-05-13')!.rates.inputPerM, 8.75, 'the older snapshot keeps its own rates');
    assert.equal(bundledPriorityRates('openai', 'gpt-4o-2024-08-06')!.rates.inputPerM, 4.25);
  });
});
