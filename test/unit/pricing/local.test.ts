// A model that runs on this machine: an unknown model on a loopback endpoint costs $0 ("local"), never "price
// unknown"; a catalog model behind a local proxy keeps its catalog price; lengthwise.pricing and a cost the server
// reports still win.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costOf, priceFor, worstCaseCost } from '../../../src/core/pricing/cost';
import { describeCostSource, priceOrigin, resolveCost } from '../../../src/core/pricing/reported';

const local = { provider: 'openai-compatible' as const, model: 'tiny', baseUrl: 'http://127.0.0.1:8080/v1' };

test('an unknown model on a loopback endpoint costs $0, marked local', () => {
  for (const baseUrl of ['http://127.0.0.1:8080/v1', 'http://localhost:11434/v1', 'http://[::1]:1234/v1']) {
    const p = priceFor({ ...local, baseUrl });
    assert.ok(p, baseUrl);
    assert.equal(p.local, true);
    assert.equal(p.inputPerM, 0);
    assert.equal(p.outputPerM, 0);
    assert.equal(costOf({ inputTokens: 22_669, outputTokens: 500 }, p), 0);
    assert.equal(worstCaseCost(22_669, 1024, p), 0);
    assert.equal(priceOrigin(p), 'local');
    assert.match(p.source, /this machine/);
  }
  const r = resolveCost({ inputTokens: 10, outputTokens: 5 }, 0, priceFor(local), undefined);
  assert.deepEqual([r.usd, r.source], [0, 'local']);
  assert.match(describeCostSource('local'), /local/);
});

test('the same model on a remote host stays "price unknown" (null), never $0', () => {
  assert.equal(priceFor({ ...local, baseUrl: 'http://gpu-box.example:8080/v1' }), undefined);
  assert.equal(priceFor({ ...local, baseUrl: 'http://10.0.0.5:8080/v1' }), undefined);
});

test('a catalog model behind a local proxy keeps its catalog price', () => {
  const p = priceFor({ provider: 'openai-compatible', model: 'gpt-4.1-mini', baseUrl: 'http://127.0.0.1:4000/v1' });
  assert.ok(p && !p.local, JSON.stringify(p));
  assert.ok(p.outputPerM > 0);
  assert.match(p.source, /genai-prices/);
  assert.equal(priceOrigin(p), 'prices');
  const claude = priceFor({ provider: 'openai-compatible', model: 'claude-sonnet-4-5', baseUrl: 'http://localhost:4000/v1' });
  assert.equal(claude?.outputPerM, 15);
});

test('lengthwise.pricing wins over local', () => {
  const p = priceFor({ ...local, pricing: { tiny: { input: 0.5, output: 1.5 } } });
  assert.equal(p?.local, undefined);
  assert.equal(p?.outputPerM, 1.5);
  assert.equal(priceOrigin(p!), 'override');
});

test('a cost the local server reports wins over $0', () => {
  const r = resolveCost({ inputTokens: 10, outputTokens: 5 }, 0, priceFor(local), { value: 0.002, via: 'usage.cost' });
  assert.deepEqual([r.usd, r.source], [0.002, 'provider']);
});

test("an official provider through a local proxy keeps its own price table: an unknown id there stays unknown", () => {
  assert.equal(priceFor({ provider: 'openai', model: 'llama3.1:8b', baseUrl: 'http://127.0.0.1:11434/v1' }), undefined);
  assert.ok(priceFor({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'http://127.0.0.1:4000/v1' }));
});

test("VS Code's own models are not a server on this machine, whatever lengthwise.baseUrl is left set to", () => {
  // vscode-lm reports its limits (serverLimits) but sends nothing to baseUrl: a model of another extension with no
  // price stays "price unknown", not $0.
  const p = priceFor({ provider: 'vscode-lm', model: 'some-extension-model', baseUrl: 'http://127.0.0.1:8080/v1' });
  assert.ok(!p?.local, JSON.stringify(p));
});
