// A model on this machine in the status bar: "local", never "price unknown" and never a bare $0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doneText, idleText, sessionText, streamingText, tooltipMarkdown } from '../../../src/core/views/statusText';
import { RunMeter } from '../../../src/core/generation/meter';
import { priceFor } from '../../../src/core/pricing/cost';
import { SessionTotals } from '../../../src/core/generation/sessionTotals';

const price = priceFor({ provider: 'openai-compatible', model: 'tiny', baseUrl: 'http://127.0.0.1:8080/v1' })!;

test('idle: the worst case of a local model is "local"', () => {
  assert.equal(idleText({ selectionTokens: 5873, selectionExact: false, worstCaseUsd: 0, local: true }), '$(symbol-ruler) Lengthwise · ≈5,873 tok · local');
  // Nothing is billed: no "≈ $0.0000" expected figure beside it, even with answers in the ledger.
  assert.equal(idleText({ selectionTokens: 5873, selectionExact: false, worstCaseUsd: 0, local: true, expected: { usd: 0 } }), '$(symbol-ruler) Lengthwise · ≈5,873 tok · local');
});

test('streaming and done: "local" where a price would be', () => {
  const m = new RunMeter({ inputTokens: 10, inputExact: true, maxTokens: 100, price, tokenizer: undefined, tokenizerExact: false, now: () => 0 });
  m.onEvent({ type: 'text', text: 'Hello from llama.' });
  assert.match(streamingText(m.snapshot(), 1), / · local$/);
  const d = { outputTokens: 40, maxTokens: 100, costUsd: 0, costSource: 'local' as const, source: 'provider' as const, truncated: false, reason: 'stop', rounds: 1 };
  assert.equal(doneText(d), '$(check) 40 tok · local');
  assert.equal(doneText({ ...d, truncated: true, reason: 'length', outputTokens: 100 }), '$(warning) truncated at 100/100 tok · local');
});

test('session: "session local" while every request ran locally; a paid one shows the sum', () => {
  const s = new SessionTotals();
  s.add(1, 0, 'local');
  s.add(2, 0, 'local');
  assert.equal(sessionText(s.view()), 'session local');
  s.add(1, 0.0123, 'prices');
  assert.equal(sessionText(s.view()), 'session $0.0123');
  const u = new SessionTotals();
  u.add(1, 0, 'local');
  u.add(1, null, null);
  assert.equal(sessionText(u.view()), 'session ≥ $0.00', 'a local $0 and an unknown price: a partial sum');
});

test('tooltip: the price line says the model runs on this machine and how to set a price', () => {
  const md = tooltipMarkdown({ title: 't', usage: { inputTokens: 10, outputTokens: 5 }, source: 'provider', costUsd: 0, costSource: 'local', price, model: 'tiny', session: { usd: 0, requests: 1 }, workspace: { usd: 0, requests: 1 } });
  assert.match(md, /\| cost \| local \(\$0\) \|/);
  assert.match(md, /tiny runs on this machine/);
  assert.match(md, /lengthwise\.pricing/);
  assert.doesNotMatch(md, /price unknown/);
});
