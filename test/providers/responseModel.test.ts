// The model that answered (issue 28: the ledger and telemetry kept only the model asked for). Each adapter reports
// the model its SDK's response names — a dated snapshot of the id asked for, or another model a router picked — as
// a `model` event; the round's ledger record keeps it as responseModel (gen_ai.response.model in telemetry).
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collect, request, useMock, type Mock } from './mock';
import type { ProviderEvent } from '../../src/core/protocol/request';
import { usage } from './fixtures';
import { startShaped } from '../servers/shapedServer';
import { createAdapter } from '../../src/providers';
import { runRound } from '../../src/core/generation/pipeline';
import { Ledger } from '../../src/core/ledger/ledger';
import { memoryStorage } from '../ledgerDouble';
import { recordPoints, GEN_AI } from '../../src/telemetry/metrics';

const getMock = useMock();
let mock: Mock;
beforeEach(() => {
  mock = getMock();
});

const models = (events: ProviderEvent[]) => events.filter((e) => e.type === 'model').map((e) => (e as { model: string }).model);

describe('the model that answered', () => {
  for (const [p, api] of [['openai', undefined], ['openai', 'responses'], ['anthropic', undefined]] as const) {
    it(`${p}${api ? ` (${api})` : ''}: the response's model is reported once`, async () => {
      const answered = p === 'anthropic' ? 'claude-sonnet-4-5-20250929' : 'gpt-4.1-mini-2025-04-14';
      mock.aimock.onMessage(`which model ${p} ${api ?? ''}`.trim(), { content: 'me', model: answered, usage: usage(5, 1) } as never);
      const r = await collect({ ...request(p, mock, { messages: [{ role: 'user', content: `which model ${p} ${api ?? ''}`.trim() }] }), ...(api ? { api } : {}) });
      assert.equal(r.text, 'me');
      assert.deepEqual(models(r.events), [answered]);
    });
  }

  it('gemini: modelVersion of the stream is reported', async () => {
    const srv = await startShaped({
      'POST /v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = { candidates: [{ content: { parts: [{ text: 'hi' }], role: 'model' }, index: 0, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1 }, modelVersion: 'gemini-2.5-flash-001' };
        res.end(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
      },
    });
    try {
      const r = await collect({ ...request('gemini', mock, { messages: [{ role: 'user', content: 'gm' }] }), baseUrl: srv.origin });
      assert.deepEqual(models(r.events), ['gemini-2.5-flash-001']);
    } finally {
      await srv.stop();
    }
  });

  it('a model name no person would read (control characters, 10,000 characters) is not kept', async () => {
    mock.aimock.onMessage('odd model', { content: 'x', model: `gpt\u0007-${'a'.repeat(10_000)}`, usage: usage(1, 1) } as never);
    const r = await collect(request('openai', mock, { messages: [{ role: 'user', content: 'odd model' }] }));
    assert.deepEqual(models(r.events), []);
  });

  it('the round records it in the ledger, and telemetry exports it as gen_ai.response.model', async () => {
    mock.aimock.onMessage('ledger model', { content: 'ok', model: 'gpt-4.1-mini-2025-04-14', usage: usage(5, 1) } as never);
    const { ledger } = await Ledger.open(memoryStorage());
    const req = request('openai', mock, { messages: [{ role: 'user', content: 'ledger model' }] });
    await runRound(req, { inputTokens: 5, inputExact: true }, { adapter: createAdapter('openai'), apiKey: 'sk-test', tokenizerExact: false, ledger, workspace: 'w', onText: () => undefined });
    const rec = ledger.records().at(-1)!;
    assert.equal(rec.model, 'gpt-4.1-mini', 'the model asked for');
    assert.equal(rec.responseModel, 'gpt-4.1-mini-2025-04-14', 'the model that answered');
    assert.equal(recordPoints(rec)[0].attributes[GEN_AI.responseModel], 'gpt-4.1-mini-2025-04-14');
  });
});
