// A selection over a local server's window, on a real llama-server with --api-key: parts sized by the server's own
// tokenizer are all answered; a part the server refuses for length is cut smaller and answered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerSink } from '../../src/core/generation/pipeline';
import type { LedgerRecord } from '../../src/core/ledger/record';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../src/core/settings/settings';
import { loadTokenizer, type Tokenizer } from '../../src/core/tokens/tokens';
import { isSafeCut } from '../../src/core/tokens/safeCuts';
import { fitParts } from '../../src/core/generation/jobs/fitParts';
import { jobRoom } from '../../src/core/generation/jobs/jobPlan';
import { runLiveJob } from '../../src/core/generation/jobs/liveJob';
import { priceFor } from '../../src/core/pricing/cost';
import { createAdapter } from '../../src/providers';
import { discoverServer } from '../../src/providers/discovery';
import { ServerTokenizer } from '../../src/providers/serverTokens';
import { ensureLlama, startLlama } from '../servers/llama.mjs';

const KEY = 'sk-local-test-0000';
const paragraph = (i: number) => `Section ${i}. ` + Array.from({ length: 40 }, (_, w) => `word${(i * 7 + w) % 13}`).join(' ') + '.';
const input = Array.from({ length: 24 }, (_, i) => paragraph(i)).join('\n\n');

function memoryLedger(): LedgerSink & { records: LedgerRecord[] } {
  const records: LedgerRecord[] = [];
  return { records, begin: async () => undefined, checkpoint: async () => undefined, finish: async (r) => void records.push(r) };
}

describe('jobs on a real llama-server (--api-key)', () => {
  let llama: { url: string; stop(): Promise<void> };
  let tok: Tokenizer;
  before(async () => {
    await ensureLlama();
    llama = await startLlama({ ctxSize: 1024, apiKey: KEY });
    tok = await loadTokenizer('o200k_base');
  });
  after(() => llama?.stop());

  const settings = (over: Partial<LengthwiseSettings> = {}): LengthwiseSettings => ({ ...DEFAULT_SETTINGS, provider: 'openai-compatible', model: 'tiny', baseUrl: `${llama.url}/v1`, maxTokens: 8, ...over });
  const count = (t: string) => tok.count(t);

  async function run(s: LengthwiseSettings, server: ServerTokenizer) {
    const discovered = (await discoverServer(s.baseUrl, 'tiny', { key: KEY })).limits;
    const whole = (await server.countChat('', [{ role: 'user', content: input }]))!;
    const room = jobRoom(s, { tokens: whole, exact: true }, discovered)!;
    assert.ok(room, `a job: ${whole} server tokens`);
    const overhead = (await server.countChat('', [{ role: 'user', content: '' }]))! + 8;
    const fit = await fitParts(input, { maxTokens: room.tokens - overhead, count, isSafeCut, exact: (t) => server.countText(t) });
    const ledger = memoryLedger();
    const price = priceFor(s);
    const res = await runLiveJob({
      strategy: 'chunks',
      jobId: 'job-local',
      parts: fit.parts,
      settings: s,
      count: (t) => Math.ceil(count(t) * fit.ratio),
      countExact: false,
      maxInputTokens: room.tokens,
      discovered,
      partInputTokens: fit.parts.map((p) => (fit.exact ? p.tokens + overhead : undefined)),
      resplit: { code: false },
      deps: { adapter: createAdapter('openai-compatible'), apiKey: KEY, tokenizer: tok, tokenizerExact: false, price, priceSource: price?.source, ledger, workspace: 'w' },
    });
    return { fit, res, ledger, room, whole };
  }

  it("every part sized by the server's tokenizer fits and is answered; the cost is $0, local", async () => {
    const server = new ServerTokenizer('llama-server', `${llama.url}/v1`, 'tiny', KEY);
    const { fit, res, ledger, room, whole } = await run(settings(), server);
    console.log(`      input ${count(input)} o200k tokens, ${whole} by the server; ${fit.parts.length} parts, ratio ${fit.ratio.toFixed(2)}, room ${room.tokens}`);
    assert.ok(fit.exact, "the parts' counts are the server's");
    assert.ok(fit.parts.every((p) => p.tokens <= room.tokens), fit.parts.map((p) => p.tokens).join(','));
    assert.deepEqual(res.failed, []);
    assert.deepEqual(res.resplit, []);
    assert.equal(res.answers.length, fit.parts.length);
    assert.ok(res.answers.every((a) => a && /Hello from llama/.test(a.text) && !a.error));
    assert.deepEqual([res.costUsd, res.costSource], [0, 'local']);
    assert.ok(ledger.records.every((r) => r.costSource === 'local' && r.costUsd === 0));
  });

  it('a part the server refuses for length (lengthwise.models says 4,096, the server holds 1,024) is cut smaller and answered', async () => {
    const server = new ServerTokenizer('llama-server', `${llama.url}/v1`, 'tiny', KEY);
    const { fit, res, ledger } = await run(settings({ models: { tiny: { contextWindow: 4096 } } }), server);
    assert.ok(res.resplit.length > 0, 'cut again');
    assert.deepEqual(res.failed, [], JSON.stringify(res.failed));
    assert.ok(res.answers.every((a) => a && /Hello from llama/.test(a.text) && !a.error));
    const refused = ledger.records.filter((r) => r.finish.reason === 'error');
    assert.equal(refused.length, res.resplit.length, 'each refusal is in the ledger (nothing billed)');
    console.log(`      ${fit.parts.length} parts; re-cut ${JSON.stringify(res.resplit)}; ${res.requests} requests`);
  });
});
