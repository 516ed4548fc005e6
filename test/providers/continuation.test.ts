// Continuation end to end below the editor: the real adapters over HTTP against aimock, driven by the core's
// runRound + continueChain, with the continuation request planned by planContinuationRequest (what the runner uses).
// Every round-2 assertion reads the raw bodies the SDKs sent (the recording proxy's wire()).
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTINUE_INSTRUCTION, prefillKey } from '../../src/core/generation/continuation';
import type { ModelPrice } from '../../src/core/pricing/cost';
import type { LedgerRecord } from '../../src/core/ledger/record';
import { findModel } from '../../src/core/models/models';
import { continuationLimitsText, continueChain, planContinuationRequest, runRound, type ChainState, type LedgerSink, type NoProgress } from '../../src/core/generation/pipeline';
import { planRequest } from '../../src/core/generation/plan';
import type { ProviderError, ProviderId } from '../../src/core/protocol/request';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../src/core/settings/settings';
import { createAdapter } from '../../src/providers';
import { baseUrlFor, useMock, type Mock } from './mock';
import { usage } from './fixtures';

type Body = Record<string, unknown>;
type FixtureResponse = { content: string; finishReason?: string; usage?: Record<string, number> };


const getMock = useMock();
let mock: Mock;
beforeEach(() => {
  mock = getMock();
});

/** Text of a message in aimock's normalized request (string or content parts). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : ((p as { text?: string }).text ?? ''))).join('');
  return '';
}

/**
 * Serves `responses` in order to every request of the conversation that starts with `prompt` (round 1, round 2…;
 * the last one repeats). aimock matches on the last user message, which for a prefill round is still round 1's
 * prompt and for a user-continue round is the continue instruction, so the conversation is recognised by its
 * first user message instead.
 */
function script(prompt: string, responses: FixtureResponse[], opts: { chunkSize?: number } = {}): { served: () => number } {
  let n = 0;
  mock.aimock.on(
    { predicate: (req) => textOf(req.messages.find((m) => m.role === 'user')?.content) === prompt },
    () => responses[Math.min(n++, responses.length - 1)],
    { chunkSize: opts.chunkSize ?? 4 },
  );
  return { served: () => n };
}

/** A ledger that keeps the records (each round is its own record linked to the chain). */
function memoryLedger(): LedgerSink & { records: LedgerRecord[] } {
  const records: LedgerRecord[] = [];
  return {
    records,
    begin: async () => undefined,
    checkpoint: async () => undefined,
    finish: async (rec) => {
      records.push(rec);
    },
  };
}

interface ChainRun {
  /** Round 1's text plus everything the chain emitted: what the document would hold. */
  text: string;
  state: ChainState;
  stoppedBecause?: string;
  noProgress?: NoProgress;
  /** continuationLimitsText of each planned continuation round. */
  limits: string[];
  lastError?: ProviderError;
  bodies: Body[];
  ledger: LedgerRecord[];
  settings: LengthwiseSettings;
}

/**
 * Round 1 with runRound, then continueChain, the way the runner does it. `beforeContinue` runs between the two
 * (e.g. to queue a one-shot error for round 2).
 */
async function runChain(
  settings: Partial<LengthwiseSettings> & { provider: ProviderId; model: string },
  prompt: string,
  opts: {
    auto?: boolean;
    maxRounds?: number;
    maxTokensFactor?: number;
    explicit?: boolean;
    price?: ModelPrice;
    prefillRefused?: Set<string>;
    beforeContinue?: () => void;
    /** Settings changed between round 1 and Continue (re-resolved at continue time). */
    continueWith?: Partial<LengthwiseSettings>;
  } = {},
): Promise<ChainRun> {
  const s: LengthwiseSettings = { ...DEFAULT_SETTINGS, baseUrl: baseUrlFor(mock, settings.provider), ...settings };
  const estimate = (t: string) => Math.ceil(t.length / 4);
  const plan = planRequest({ settings: s, prompt, inputTokens: estimate(prompt), inputTokensExact: false });
  assert.ok(plan.request, `round 1 planned: ${plan.errors.map((e) => e.message).join(' ')}`);
  const request = plan.request;
  const ledger = memoryLedger();
  let text = '';
  const deps = {
    adapter: createAdapter(s.provider),
    apiKey: 'test-key',
    tokenizerExact: false,
    price: opts.price,
    ledger,
    workspace: 'ws',
    onText: (d: string) => {
      text += d;
    },
  };
  const chainId = 'chain-1';
  const limits: string[] = [];
  const r1 = await runRound(request, { inputTokens: estimate(prompt), inputExact: false, chainId, round: 1 }, deps);
  const state: ChainState = {
    chainId,
    messages: [{ role: 'user', content: prompt }],
    textSoFar: r1.text,
    rounds: 1,
    usage: r1.usage,
    usageSource: r1.usageSource,
    costUsd: r1.costUsd,
    finish: r1.finish,
    lastRequest: request,
    strategies: [],
  };
  opts.beforeContinue?.();
  const res = await continueChain(
    state,
    {
      auto: opts.auto ?? false,
      maxRounds: opts.maxRounds ?? 3,
      explicit: opts.explicit,
    },
    {
      ...deps,
      planContinuation: (messages) => {
        const planned = planContinuationRequest({ settings: { ...s, ...opts.continueWith } }, state.lastRequest, messages, opts.maxTokensFactor ?? 1, estimate, false);
        if ('limits' in planned) limits.push(continuationLimitsText(planned.limits));
        return planned;
      },
      modelSupportsPrefill: findModel(s.provider, s.model, s.models)?.supportsPrefill,
      prefillRefused: opts.prefillRefused ?? new Set(),
    },
  );
  return {
    text,
    state: res.state,
    stoppedBecause: res.stoppedBecause,
    noProgress: res.noProgress,
    limits,
    lastError: res.lastError,
    bodies: mock.wire().map((w) => w.body),
    ledger: ledger.records,
    settings: s,
  };
}

interface Sent {
  /** The conversation as role/text pairs (system prompt apart). */
  messages: { role: string; content: string }[];
  system: string | undefined;
  stop: unknown;
  temperature: unknown;
  maxTokens: unknown;
}

/** Reads a raw body of any of the three APIs into one shape. */
function sent(provider: ProviderId, b: Body): Sent {
  if (provider === 'anthropic') {
    return {
      messages: (b.messages as { role: string; content: unknown }[]).map((m) => ({ role: m.role, content: textOf(m.content) })),
      system: textOf(b.system) || undefined,
      stop: b.stop_sequences,
      temperature: b.temperature,
      maxTokens: b.max_tokens,
    };
  }
  if (provider === 'gemini') {
    const g = b.generationConfig as Record<string, unknown>;
    const sys = b.systemInstruction as { parts?: { text: string }[] } | undefined;
    return {
      messages: (b.contents as { role: string; parts: { text: string }[] }[]).map((c) => ({
        role: c.role === 'model' ? 'assistant' : c.role,
        content: c.parts.map((p) => p.text).join(''),
      })),
      system: sys?.parts?.map((p) => p.text).join(''),
      stop: g.stopSequences,
      temperature: g.temperature,
      maxTokens: g.maxOutputTokens,
    };
  }
  const msgs = b.messages as { role: string; content: string }[];
  const system = msgs.find((m) => m.role === 'system' || m.role === 'developer');
  return {
    messages: msgs.filter((m) => m !== system).map((m) => ({ role: m.role, content: textOf(m.content) })),
    system: system?.content,
    stop: b.stop,
    temperature: b.temperature,
    maxTokens: b.max_tokens ?? b.max_completion_tokens,
  };
}

const TRUNCATED_RAW: Record<ProviderId, string> = { openai: 'length', 'openai-compatible': 'length', anthropic: 'max_tokens', gemini: 'MAX_TOKENS', 'vscode-lm': 'max_tokens' };
const NATURAL_RAW: Record<ProviderId, string> = { openai: 'stop', 'openai-compatible': 'stop', anthropic: 'end_turn', gemini: 'STOP', 'vscode-lm': 'end' };

const CASES: { name: string; provider: ProviderId; model: string; models?: LengthwiseSettings['models']; strategy: 'prefill' | 'user-continue' }[] = [
  { name: 'openai gpt-4.1-mini', provider: 'openai', model: 'gpt-4.1-mini', strategy: 'user-continue' },
  {
    name: 'openai-compatible server declared to continue a final assistant message',
    provider: 'openai-compatible',
    model: 'llama3.1:8b',
    models: { 'llama3.1:8b': { contextWindow: 131072, maxOutputTokens: 8192, supportsPrefill: true } },
    strategy: 'prefill',
  },
  { name: 'anthropic claude-sonnet-4-5 (prefill)', provider: 'anthropic', model: 'claude-sonnet-4-5', strategy: 'prefill' },
  { name: 'anthropic claude-sonnet-4-6 (refuses prefill)', provider: 'anthropic', model: 'claude-sonnet-4-6', strategy: 'user-continue' },
  { name: 'gemini gemini-2.5-flash', provider: 'gemini', model: 'gemini-2.5-flash', strategy: 'user-continue' },
];

for (const c of CASES) {
  describe(`continuation: ${c.name}`, () => {
    it(`truncated, then continued to a natural end by ${c.strategy}; round 2 keeps system, stops, temperature`, async () => {
      const prompt = `Tell me about foxes (${c.provider})`;
      script(prompt, [
        { content: 'The quick brown fox', finishReason: 'length', usage: usage(10, 8) },
        { content: ' jumps over the lazy dog.', usage: usage(30, 6) },
      ]);
      const r = await runChain(
        { provider: c.provider, model: c.model, models: c.models ?? {}, maxTokens: 8, systemPrompt: 'Answer in English.', stopSequences: ['END'], temperature: 0.4 },
        prompt,
      );
      assert.equal(r.text, 'The quick brown fox jumps over the lazy dog.');
      assert.equal(r.state.textSoFar, r.text);
      assert.deepEqual(r.state.finish, { raw: NATURAL_RAW[c.provider], reason: 'stop', truncated: false });
      assert.equal(r.state.rounds, 2);
      assert.deepEqual(r.state.strategies, [c.strategy]);
      assert.equal(r.stoppedBecause, undefined);

      assert.equal(r.bodies.length, 2, 'one request a round');
      const one = sent(c.provider, r.bodies[0]);
      const two = sent(c.provider, r.bodies[1]);
      assert.deepEqual(one.messages, [{ role: 'user', content: prompt }]);
      const expected =
        c.strategy === 'prefill'
          ? [
              { role: 'user', content: prompt },
              { role: 'assistant', content: 'The quick brown fox' },
            ]
          : [
              { role: 'user', content: prompt },
              { role: 'assistant', content: 'The quick brown fox' },
              { role: 'user', content: CONTINUE_INSTRUCTION },
            ];
      assert.deepEqual(two.messages, expected, 'the exact conversation of round 2');
      if (c.provider === 'anthropic') {
        // Round 2 marks the conversation start for the prompt cache; round 1 (maybe the only round) does not.
        const first = (b: Body) => (b.messages as { content: unknown }[])[0].content;
        assert.equal(typeof first(r.bodies[0]), 'string');
        assert.deepEqual(first(r.bodies[1]), [{ type: 'text', text: prompt, cache_control: { type: 'ephemeral' } }]);
      }
      for (const b of [one, two]) {
        assert.equal(b.system, 'Answer in English.');
        assert.deepEqual(b.stop, ['END']);
        assert.equal(b.temperature, 0.4);
        assert.equal(b.maxTokens, 8);
      }
      // Chain totals: usage summed, no price known → cost stays null (never 0).
      assert.deepEqual(r.state.usage.inputTokens, 40);
      assert.deepEqual(r.state.usage.outputTokens, 14);
      assert.equal(r.state.usageSource, 'provider');
      assert.equal(r.state.costUsd, null);
      // Each round is its own ledger record, linked to the chain.
      assert.deepEqual(
        r.ledger.map((x) => ({ chainId: x.chainId, round: x.round, raw: x.finish.raw, out: x.usage.outputTokens })),
        [
          { chainId: 'chain-1', round: 1, raw: TRUNCATED_RAW[c.provider], out: 8 },
          { chainId: 'chain-1', round: 2, raw: NATURAL_RAW[c.provider], out: 6 },
        ],
      );
    });

    it('the seam: a continuation that repeats the last words is joined without the repeat', async () => {
      const prompt = `Finish the pangram (${c.provider})`;
      script(
        prompt,
        [
          { content: 'The quick brown fox jumps over', finishReason: 'length', usage: usage(10, 8) },
          { content: 'fox jumps over the lazy dog.', usage: usage(30, 7) },
        ],
        { chunkSize: 3 },
      );
      const r = await runChain({ provider: c.provider, model: c.model, models: c.models ?? {}, maxTokens: 8 }, prompt);
      assert.equal(r.text, 'The quick brown fox jumps over the lazy dog.');
      assert.equal(r.state.rounds, 2);
    });
  });
}

describe('continuation: seam whitespace and fences on the wire', () => {
  it('prefill (Anthropic): trailing whitespace is cut from the assistant turn, and the seam keeps one line break', async () => {
    const prompt = 'A poem, please';
    script(prompt, [
      { content: 'Roses are red,\n', finishReason: 'length', usage: usage(5, 5) },
      { content: '\nviolets are blue.', usage: usage(9, 5) },
    ]);
    const r = await runChain({ provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 5 }, prompt);
    const two = sent('anthropic', r.bodies[1]);
    assert.deepEqual(two.messages.at(-1), { role: 'assistant', content: 'Roses are red,' }, 'Anthropic rejects a final assistant turn ending in whitespace');
    assert.equal(r.text, 'Roses are red,\nviolets are blue.');
  });

  it('user-continue (OpenAI): a re-opened code fence is dropped', async () => {
    const prompt = 'Write f in Python';
    script(prompt, [
      { content: 'Here:\n```python\ndef f(x):\n', finishReason: 'length', usage: usage(5, 9) },
      { content: '```python\n    return x * 2\n```\n', usage: usage(20, 9) },
    ]);
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 9 }, prompt);
    assert.equal(sent('openai', r.bodies[1]).messages[1].content, 'Here:\n```python\ndef f(x):\n', 'user-continue sends the text as it stands');
    assert.equal(r.text, 'Here:\n```python\ndef f(x):\n    return x * 2\n```\n');
  });
});

describe('continuation: prefill refused → user-continue, remembered', () => {
  const REFUSAL = { message: 'This model does not support assistant message prefill. The conversation must end with a user message.', type: 'invalid_request_error' };

  it('a 400 refusing prefill is retried once with user-continue; the model is remembered for the next chain', async () => {
    const refused = new Set<string>();
    const prompt = 'Explain tides';
    script(prompt, [
      { content: 'Tides are caused by', finishReason: 'length', usage: usage(6, 5) },
      { content: ' the pull of the moon.', usage: usage(40, 6) },
    ]);
    const r = await runChain({ provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 5, systemPrompt: 'Be exact.', stopSequences: ['###'], temperature: 0.2 }, prompt, {
      prefillRefused: refused,
      beforeContinue: () => mock.aimock.nextRequestError(400, REFUSAL),
    });
    assert.equal(r.bodies.length, 3, 'round 1, the refused prefill, the user-continue retry');
    assert.deepEqual(sent('anthropic', r.bodies[1]).messages, [
      { role: 'user', content: prompt },
      { role: 'assistant', content: 'Tides are caused by' },
    ]);
    const retry = sent('anthropic', r.bodies[2]);
    assert.deepEqual(retry.messages, [
      { role: 'user', content: prompt },
      { role: 'assistant', content: 'Tides are caused by' },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
    assert.equal(retry.system, 'Be exact.');
    assert.deepEqual(retry.stop, ['###']);
    assert.equal(retry.temperature, 0.2);
    assert.equal(r.text, 'Tides are caused by the pull of the moon.');
    assert.equal(r.state.rounds, 2, 'the refused attempt is not a round');
    assert.deepEqual(r.state.strategies, ['user-continue']);
    assert.equal(r.lastError, undefined);
    assert.deepEqual([...refused], [prefillKey('anthropic', 'claude-sonnet-4-5')]);
    // The refused attempt is in the ledger too (its spend, if any, is counted), as part of round 2.
    assert.deepEqual(r.ledger.map((x) => [x.round, x.finish.reason]), [[1, 'length'], [2, 'error'], [2, 'stop']]);

    // Next chain, same model: straight to user-continue, no second refusal.
    mock.clearWire();
    const prompt2 = 'Explain waves';
    script(prompt2, [
      { content: 'Waves are', finishReason: 'length', usage: usage(6, 5) },
      { content: ' moving energy.', usage: usage(30, 4) },
    ]);
    const r2 = await runChain({ provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 5 }, prompt2, { prefillRefused: refused });
    assert.equal(r2.bodies.length, 2);
    assert.equal(sent('anthropic', r2.bodies[1]).messages.at(-1)?.content, CONTINUE_INSTRUCTION);
    assert.equal(r2.text, 'Waves are moving energy.');
  });

  it('another 400 is not mistaken for a refusal: no retry, nothing remembered, the error is reported', async () => {
    const refused = new Set<string>();
    const prompt = 'Explain comets';
    script(prompt, [
      { content: 'Comets are', finishReason: 'length', usage: usage(6, 5) },
      { content: ' icy bodies.', usage: usage(30, 4) },
    ]);
    const r = await runChain({ provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 5 }, prompt, {
      prefillRefused: refused,
      beforeContinue: () => mock.aimock.nextRequestError(400, { message: 'messages.1.content: text content blocks must be non-empty', type: 'invalid_request_error' }),
    });
    assert.equal(r.bodies.length, 2);
    assert.equal(refused.size, 0);
    assert.equal(r.lastError?.kind, 'bad_request');
    assert.match(r.stoppedBecause ?? '', /non-empty/);
    assert.equal(r.text, 'Comets are', 'the text so far is untouched');
  });
});

describe('continuation: Anthropic pause_turn', () => {
  it('a paused turn is sent back as is and resumed automatically, even without auto-continue', async () => {
    const prompt = 'Search the archive';
    script(prompt, [
      { content: 'Searching the archive…', finishReason: 'pause_turn', usage: usage(12, 4) },
      { content: ' found 3 matches.', usage: usage(20, 5) },
    ]);
    // claude-sonnet-4-6 refuses prefill, but resuming a paused turn is not a prefill.
    const r = await runChain({ provider: 'anthropic', model: 'claude-sonnet-4-6', maxTokens: 100, systemPrompt: 'Be brief.' }, prompt, { auto: false });
    assert.equal(r.bodies.length, 2);
    const two = sent('anthropic', r.bodies[1]);
    assert.deepEqual(two.messages, [
      { role: 'user', content: prompt },
      { role: 'assistant', content: 'Searching the archive…' },
    ]);
    assert.equal(two.system, 'Be brief.');
    assert.deepEqual(r.state.strategies, ['pause-resume']);
    assert.equal(r.text, 'Searching the archive… found 3 matches.');
    assert.equal(r.state.finish.raw, 'end_turn');
    assert.equal(r.state.rounds, 2);
  });

  it('a resumed turn that then hits max tokens is not continued without auto-continue', async () => {
    const prompt = 'Search again';
    const s = script(prompt, [
      { content: 'Searching…', finishReason: 'pause_turn', usage: usage(12, 4) },
      { content: ' found: the first', finishReason: 'length', usage: usage(20, 5) },
      { content: ' never sent', usage: usage(1, 1) },
    ]);
    const r = await runChain({ provider: 'anthropic', model: 'claude-sonnet-4-6', maxTokens: 5 }, prompt, { auto: false });
    assert.equal(s.served(), 2);
    assert.equal(r.state.finish.raw, 'max_tokens');
    assert.equal(r.state.finish.truncated, true);
    assert.equal(r.text, 'Searching… found: the first');
  });
});

describe('continuation: rounds, caps and totals', () => {
  const TRUNCATING: FixtureResponse[] = [
    { content: 'Alpha one', finishReason: 'length', usage: usage(10, 4) },
    { content: ' beta two', finishReason: 'length', usage: usage(20, 4) },
    { content: ' gamma three', finishReason: 'length', usage: usage(30, 4) },
    { content: ' delta four', finishReason: 'length', usage: usage(40, 4) },
  ];

  it('auto-continue stops at maxRounds (the first request counts), the answer still truncated', async () => {
    const s = script('count', TRUNCATING);
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 4 }, 'count', { auto: true, maxRounds: 3 });
    assert.equal(s.served(), 3);
    assert.equal(r.bodies.length, 3);
    assert.equal(r.state.rounds, 3);
    assert.match(r.stoppedBecause ?? '', /^automatic continuation stopped at lengthwise\.continuation\.maxRounds \(3 rounds\)/);
    assert.equal(r.state.finish.truncated, true);
    assert.equal(r.text, 'Alpha one beta two gamma three');
    assert.deepEqual(r.state.usage, { inputTokens: 60, outputTokens: 12 });
    // Round 3 carries everything written so far.
    assert.equal(sent('openai', r.bodies[2]).messages[1].content, 'Alpha one beta two');
  });

  it('without auto, one continuation round per call', async () => {
    const s = script('count once', TRUNCATING);
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 4 }, 'count once', { auto: false, maxRounds: 10 });
    assert.equal(s.served(), 2);
    assert.equal(r.state.rounds, 2);
    assert.equal(r.stoppedBecause, undefined);
    assert.equal(r.state.finish.truncated, true);
  });

  it('a continuation the user asks for runs one round past the cap; an automatic one does not', async () => {
    const s = script('count on', TRUNCATING);
    const capped = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 4 }, 'count on', { auto: true, maxRounds: 1 });
    assert.equal(s.served(), 1, 'automatic: round 1 already reached maxRounds 1');
    assert.match(capped.stoppedBecause ?? '', /maxRounds \(1 round\)/);
    mock.aimock.clearFixtures();
    mock.clearWire();
    const s2 = script('count on', TRUNCATING);
    const asked = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 4 }, 'count on', { auto: true, maxRounds: 1, explicit: true });
    assert.equal(s2.served(), 2);
    assert.equal(asked.state.rounds, 2);
    assert.equal(asked.text, 'Alpha one beta two');
    // The user asked for that round: no "reached maxRounds" for it.
    assert.equal(asked.stoppedBecause, undefined);
  });

  it('chain cost is the sum of the rounds when the price is known', async () => {
    script('priced', [
      { content: 'Some', finishReason: 'length', usage: usage(1000, 4) },
      { content: ' more.', usage: usage(2000, 3) },
    ]);
    const price: ModelPrice = { model: 'gpt-4.1-mini', inputPerM: 1, outputPerM: 10, source: 'test', date: '2026-01-01' };
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 4 }, 'priced', { price });
    assert.ok(r.state.costUsd !== null);
    assert.ok(Math.abs(r.state.costUsd - (3000 * 1 + 7 * 10) / 1e6) < 1e-12, `cost ${r.state.costUsd}`);
    const perRound = r.ledger.map((x) => x.costUsd);
    assert.equal(perRound.length, 2);
    [(1000 + 40) / 1e6, (2000 + 30) / 1e6].forEach((want, i) => assert.ok(Math.abs((perRound[i] ?? NaN) - want) < 1e-12, `round ${i + 1}: ${perRound[i]}`));
  });

  it('"2× max tokens" sends twice the max tokens, clamped to the model limit', async () => {
    script('long', [
      { content: 'Long', finishReason: 'length', usage: usage(5, 4) },
      { content: ' story.', usage: usage(9, 3) },
    ]);
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 20000 }, 'long', { maxTokensFactor: 2 });
    assert.equal(sent('openai', r.bodies[0]).maxTokens, 20000);
    assert.equal(sent('openai', r.bodies[1]).maxTokens, 32768, 'gpt-4.1-mini outputs at most 32,768 tokens');
    assert.equal(r.state.lastRequest.maxTokens, 32768);
  });

  it('a continuation takes the max tokens and stops in force now, not those of round 1', async () => {
    script('raised', [
      { content: 'The first part', finishReason: 'length', usage: usage(5, 12) },
      { content: ' and the rest.', usage: usage(9, 4) },
    ]);
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 12 }, 'raised', { continueWith: { maxTokens: 100, stopSequences: ['###'] } });
    assert.equal(sent('openai', r.bodies[0]).maxTokens, 12);
    assert.equal(sent('openai', r.bodies[1]).maxTokens, 100);
    assert.deepEqual(sent('openai', r.bodies[1]).stop, ['###']);
    assert.equal(r.text, 'The first part and the rest.');
    assert.deepEqual(r.limits, ['max tokens 100 (lengthwise.maxTokens; the round before had 12) · stop sequences "###"']);
  });

  it('"2× max tokens" doubles the value in force now', async () => {
    script('doubled', [
      { content: 'Start', finishReason: 'length', usage: usage(5, 12) },
      { content: ' end.', usage: usage(9, 4) },
    ]);
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 12 }, 'doubled', { maxTokensFactor: 2, continueWith: { maxTokens: 50 } });
    assert.equal(sent('openai', r.bodies[1]).maxTokens, 100);
    assert.match(r.limits[0], /^max tokens 100 \(2× lengthwise\.maxTokens; the round before had 12\)/);
  });

  it('a round that only repeats the answer ends the chain with a message; auto-continue spends no further round', async () => {
    const s = script('repeat', [
      { content: 'The quick brown fox', finishReason: 'length', usage: usage(5, 4) },
      { content: 'The quick brown fox', finishReason: 'length', usage: usage(9, 4) },
    ]);
    const price: ModelPrice = { model: 'gpt-4.1-mini', inputPerM: 1, outputPerM: 10, source: 'test', date: '2026-01-01' };
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 4 }, 'repeat', { auto: true, maxRounds: 5, price });
    assert.equal(s.served(), 2, 'no third round after one that added nothing');
    assert.equal(r.text, 'The quick brown fox');
    assert.equal(r.state.rounds, 2);
    assert.equal(r.state.finish.truncated, true);
    assert.equal(r.noProgress?.why, 'repeated');
    assert.equal(r.stoppedBecause, r.noProgress?.message);
    assert.match(r.stoppedBecause ?? '', /round 2 added no new text: the model only repeated the end of the answer \(19 characters, not inserted\)/);
    assert.match(r.stoppedBecause ?? '', /It cost 4 output tokens \(\$0\.0000/);
    assert.match(r.stoppedBecause ?? '', /raise max tokens above 4 .* or switch the continuation strategy: .*supportsPrefill/);
    assert.deepEqual(r.ledger.map((x) => [x.round, x.usage.outputTokens]), [[1, 4], [2, 4]], 'one ledger record per round');
  });

  it('a round that starts the answer over (reworded) and is cut before it gets further is recognised as a restart', async () => {
    const first = 'The capital of France is Paris. It is known for the Eiffel Tower, the Seine and';
    const s = script('restart', [
      { content: first, finishReason: 'length', usage: usage(5, 18) },
      { content: "France's capital is Paris. It is known for the Eiffel", finishReason: 'length', usage: usage(30, 18) },
    ]);
    const r = await runChain({ provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 18 }, 'restart', { auto: true, maxRounds: 5 });
    assert.equal(s.served(), 2);
    assert.equal(r.text, first);
    assert.equal(r.noProgress?.why, 'restarted');
    assert.match(r.stoppedBecause ?? '', /started the answer over instead of continuing it/);
    assert.match(r.stoppedBecause ?? '', /price unknown/, 'an unknown price is said, never $0');
  });
});
