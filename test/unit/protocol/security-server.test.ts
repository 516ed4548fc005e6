// What a server names (finish reasons, model ids in settings) ends up in the ledger and in messages: bounded, so
// a record is never refused by the ledger (which would lose the spend) and never fills a notification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RAW_CHARS } from '../../../src/core/protocol/finish';
import { mapFinish } from '../../../src/core/providers/finish';
import { runRound } from '../../../src/core/generation/pipeline';
import { Ledger } from '../../../src/core/ledger/ledger';
import { memoryStorage } from '../../ledgerDouble';
import { resolveSettings } from '../../../src/core/settings/settings';
import type { GenerationRequest, ProviderAdapter, ProviderEvent } from '../../../src/core/protocol/request';
import { MB } from '../adversarial';

/** A stand-in for an adapter (core's own interface, no SDK): the events a hostile server would produce. */
const scripted = (events: ProviderEvent[]): ProviderAdapter => ({
  id: 'openai-compatible',
  async *stream() {
    yield* events;
  },
});

test('security: a finish reason of 1 MB is kept bounded, and the round is still in the ledger after a reload', async () => {
  const finish = mapFinish('openai', 'x'.repeat(MB));
  assert.ok(finish.raw.length <= MAX_RAW_CHARS + 1);
  const storage = memoryStorage();
  const { ledger } = await Ledger.open(storage);
  const req: GenerationRequest = { provider: 'openai-compatible', model: 'm', baseUrl: 'http://127.0.0.1:1', messages: [{ role: 'user', content: 'q' }], maxTokens: 10, stop: [] };
  const r = await runRound(req, { inputTokens: 3, inputExact: false }, {
    adapter: scripted([{ type: 'text', text: 'answer' }, { type: 'finish', finish }]),
    apiKey: 'k', tokenizerExact: false, workspace: 'w', ledger, onText: () => undefined,
  });
  assert.equal(r.finish.raw, finish.raw);
  const reopened = await Ledger.open(storage);
  assert.deepEqual(reopened.badLines, []);
  assert.equal(reopened.ledger.records().length, 1);
});

test('security: a workspace model id of 100,000 characters is refused with a short message before any request', () => {
  const r = resolveSettings({ configured: { model: 'm'.repeat(100_000) } });
  assert.equal(r.errors.length, 1);
  assert.ok(r.errors[0].message.length < 300, r.errors[0].message);
  assert.match(r.errors[0].message, /100000 characters long/);
});

test('security: a key echoed back with a control or invisible character inside is still redacted', async () => {
  const { serverText } = await import('../../../src/core/protocol/serverText');
  const key = 'sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX0123456789';
  for (const cut of ['\u0007', '\u0000', '\n', '\u001b[0m', '\u200b', '\u00ad', '\u2028']) {
    const echoed = `Incorrect API key provided: ${key.slice(0, 12)}${cut}${key.slice(12)}. You can find your key at https://platform.openai.com.`;
    for (const secret of [key, undefined]) {
      const m = serverText(echoed, secret);
      assert.ok(!m.includes('EFGHIJKL') && !m.includes('QRSTUVWX'), `${JSON.stringify(cut)}, ${secret ? 'the key in use' : 'no key given'}: ${m}`);
      assert.match(m, /^Incorrect API key provided: /);
    }
  }
  // Line breaks between words still read as spaces.
  assert.equal(serverText('first line\nsecond line'), 'first line second line');
});
