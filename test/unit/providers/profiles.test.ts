// Every provider's profile (src/core/providers): its facts complete and consistent with the catalog, the price
// data, the manifest and the adapters' registry — the checks the compiler cannot make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_CATALOG } from '../../../src/core/models/catalog';
import { findCatalogModel } from '../../../src/core/models/models';
import { PROFILES } from '../../../src/core/providers';
import { KNOWN_FINISH_VALUES } from '../../../src/core/providers/finish';
import { FINISH_REASONS, PROVIDERS } from '../../../src/core/protocol/request';
import { bundledPrice } from '../../../src/core/pricing/prices';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

test('a profile for every provider id, under its own id', () => {
  assert.deepEqual(Object.keys(PROFILES).sort(), [...PROVIDERS].sort());
  for (const [id, p] of Object.entries(PROFILES)) assert.equal(p.id, id);
});

test('the manifest offers exactly the providers that have a profile', () => {
  const enumeration = pkg.contributes.configuration.flatMap((c: { properties: Record<string, { enum?: string[] }> }) => Object.entries(c.properties)).find(([k]: [string]) => k === 'lengthwise.provider')[1].enum;
  assert.deepEqual([...enumeration].sort(), [...PROVIDERS].sort());
});

for (const p of Object.values(PROFILES)) {
  test(`${p.id}: every fact is given and well-formed`, () => {
    assert.ok(p.label.trim().length > 0);
    assert.ok(p.keyEnv === undefined || /^[A-Z][A-Z0-9_]*_API_KEY$/.test(p.keyEnv), `keyEnv ${p.keyEnv}`);
    assert.ok(p.keyRequired || p.keyEnv === undefined, 'a provider that reads a key from the environment needs one');
    // Hosts are bare host names (no scheme, path or port): the endpoint rules compare them with URL.hostname.
    for (const h of [p.officialHost, p.defaultHost]) if (h !== undefined) assert.match(h, /^[a-z0-9.-]+\.[a-z]{2,}$/, h);
    assert.ok(p.officialHost === undefined || p.officialHost === p.defaultHost, 'the official host is where the SDK goes by default');
    if (p.transport === 'http') {
      assert.equal(p.needsBaseUrl, p.officialHost === undefined, 'a provider without an official host needs a base URL');
      assert.ok(p.defaultHost !== undefined && p.keyHeader !== undefined, 'an HTTP provider has a default host and a key header');
      assert.ok(p.serves.length > 0 && p.serves.includes(p.customVendor));
    } else {
      // The editor's own models: no endpoint, no key; limits come from the model.
      assert.deepEqual([p.officialHost, p.defaultHost, p.keyHeader, p.keyEnv, p.needsBaseUrl, p.keyRequired], [undefined, undefined, undefined, undefined, false, false]);
      assert.ok(p.serverLimits, 'its limits come from the model');
    }
    // Finish: a stop and a truncation at least, every value normalized to a known reason.
    const reasons = Object.values(p.finish);
    assert.ok(reasons.includes('stop') && reasons.includes('length'), 'a stop and a length finish');
    for (const r of reasons) assert.ok((FINISH_REASONS as readonly string[]).includes(r), r);
    assert.deepEqual([...KNOWN_FINISH_VALUES[p.id]].sort(), Object.keys(p.finish).sort());
    assert.ok(p.stops.max === undefined || (Number.isInteger(p.stops.max) && p.stops.max >= 1));
    assert.ok(p.temperatureMax === 1 || p.temperatureMax === 2);
    assert.ok(p.framing === undefined || (p.framing.perMessage >= 0 && p.framing.replyPriming >= 0));
    assert.ok(p.batch === undefined || (p.batch.fraction > 0 && p.batch.fraction < 1 && p.batch.source.length > 10));
    assert.match(p.telemetryName, /^[a-z_.]+$/);
  });

  test(`${p.id}: consistent with the catalog`, () => {
    const served = MODEL_CATALOG.filter((m) => p.serves.includes(m.provider));
    assert.ok(served.length > 0 || p.transport === 'editor', 'it serves catalog models');
    for (const m of served) {
      assert.equal(findCatalogModel(p.id, m.id)?.id, m.id, `${m.id} is found through ${p.id}`);
      // An exact local tokenizer only where the profile knows the model's own (OpenAI models).
      if (p.tokenizer(m.id) !== undefined) assert.equal(m.provider, 'openai', `${m.id}: an exact local tokenizer is OpenAI's`);
    }
    // The catalog's own models of this vendor: what the profile guesses from the id matches what the catalog says.
    for (const m of MODEL_CATALOG.filter((x) => x.provider === p.id)) {
      const g = p.guess(m.id);
      assert.equal(g.reasoning, m.reasoning, `${m.id}: reasoning`);
      assert.equal(g.onlyDefaultSampling, m.onlyDefaultSampling === true, `${m.id}: default sampling only`);
      // The safe direction: an id guessed to take a budget never names a model that refuses one (a 400); a guess of
      // "adaptive" for a model that takes a budget only leaves thinking to the model.
      if (m.thinking === 'adaptive') assert.equal(g.thinking, 'adaptive', `${m.id}: adaptive thinking`);
      if (m.thinking === 'anthropic-budget' || m.thinking === 'gemini-budget') assert.equal(p.thinking, m.thinking, `${m.id}: the provider's thinking kind`);
    }
  });

  test(`${p.id}: prices come from the bundled data where it has a price id`, () => {
    if (p.priceId === undefined) {
      assert.ok(p.needsBaseUrl, 'only a server priced by its URL has no price id');
      return;
    }
    if (p.transport === 'editor') return; // priced from its own table (copilotPrices.ts), tested there
    const own = MODEL_CATALOG.filter((m) => m.provider === p.id);
    const priced = own.filter((m) => bundledPrice(p.id, m.id) !== undefined);
    assert.ok(priced.length >= own.length / 2, `${priced.length} of ${own.length} catalog models priced`);
  });
}
