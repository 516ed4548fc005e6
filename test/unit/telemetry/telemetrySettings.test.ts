import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_INTERVAL_BOUNDS, resolveSettings } from '../../../src/core/settings/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
const props = Object.assign({}, ...pkg.contributes.configuration.map((section: { properties: object }) => section.properties));

/** Problems with telemetry values are warnings: they turn the export off, never block a send. */
const errorsFor = (configured: Record<string, unknown>) => {
  const r = resolveSettings({ configured });
  assert.deepEqual(r.errors, [], 'no send is blocked');
  return r.warnings;
};

test('telemetry is off by default and takes a full metrics URL', () => {
  const r = resolveSettings({ configured: {} });
  assert.equal(r.settings['telemetry.otlpEndpoint'], '');
  assert.deepEqual(r.settings['telemetry.attributes'], {});
  assert.equal(r.settings['telemetry.exportIntervalSeconds'], 60);
  for (const ok of ['http://collector:4318/v1/metrics', 'https://otlp.example.com/opentelemetry/v1/metrics']) {
    assert.deepEqual(errorsFor({ 'telemetry.otlpEndpoint': ok }), [], ok);
  }
});

test('a bad endpoint is refused with the value and the fix', () => {
  const [noPath] = errorsFor({ 'telemetry.otlpEndpoint': 'http://collector:4318' });
  assert.match(noPath, /lengthwise\.telemetry\.otlpEndpoint is "http:\/\/collector:4318" without a path/);
  assert.match(noPath, /"http:\/\/collector:4318\/v1\/metrics"/);
  assert.match(noPath, /opentelemetry\/v1\/metrics/);
  const [scheme] = errorsFor({ 'telemetry.otlpEndpoint': 'collector:4318/v1/metrics' });
  assert.match(scheme, /not an http\(s\) URL/);
  const [creds] = errorsFor({ 'telemetry.otlpEndpoint': 'https://user:pw@collector/v1/metrics' });
  assert.match(creds, /Set API Key → Telemetry collector/);
  assert.ok(!creds.includes('pw@'), 'the password is not repeated');
  const [type] = errorsFor({ 'telemetry.otlpEndpoint': 4318 });
  assert.match(type, /is 4318: use the collector's OTLP\/HTTP metrics URL/);
});

test('attributes: texts under plain names; the service.* names Lengthwise sets are refused', () => {
  assert.deepEqual(errorsFor({ 'telemetry.attributes': { team: 'payments', 'project.name': 'checkout' } }), []);
  assert.match(errorsFor({ 'telemetry.attributes': { team: 7 } })[0], /telemetry\.attributes\.team is 7: use a text in quotes, e\.g\. "7"/);
  assert.match(errorsFor({ 'telemetry.attributes': { 'service.name': 'x' } })[0], /set by Lengthwise itself/);
  assert.match(errorsFor({ 'telemetry.attributes': { 'my team': 'x' } })[0], /"my team" is not an attribute name/);
  assert.match(errorsFor({ 'telemetry.attributes': ['team'] })[0], /use an object of texts/);
  const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`a${i}`, 'x']));
  assert.match(errorsFor({ 'telemetry.attributes': many })[0], /use at most 20/);
});

test('the export interval bounds are package.json\'s and are enforced', () => {
  const p = props['lengthwise.telemetry.exportIntervalSeconds'];
  assert.deepEqual([p.minimum, p.maximum], [EXPORT_INTERVAL_BOUNDS.min, EXPORT_INTERVAL_BOUNDS.max]);
  assert.deepEqual(errorsFor({ 'telemetry.exportIntervalSeconds': p.minimum }), []);
  assert.deepEqual(errorsFor({ 'telemetry.exportIntervalSeconds': p.maximum }), []);
  assert.match(errorsFor({ 'telemetry.exportIntervalSeconds': p.minimum - 1 })[0], /is 9: use at least 10/);
  assert.match(errorsFor({ 'telemetry.exportIntervalSeconds': p.maximum + 1 })[0], /largest accepted is 3600/);
  assert.match(errorsFor({ 'telemetry.exportIntervalSeconds': '60' })[0], /write 60 without quotes/);
  assert.match(errorsFor({ 'telemetry.exportIntervalSeconds': 5 })[0], /Spend is not exported until this is fixed\./);
  assert.equal(resolveSettings({ configured: { 'telemetry.exportIntervalSeconds': 5 } }).settings['telemetry.exportIntervalSeconds'], 60);
});

test('telemetry settings belong to the workspace: not in a preset, not per call', () => {
  const r = resolveSettings({ configured: { preset: 'team' }, userPresets: { team: { maxTokens: 100, 'telemetry.otlpEndpoint': 'http://x/v1/metrics' } } });
  assert.ok(r.errors.some((e) => /preset "team" → telemetry\.otlpEndpoint applies to the whole workspace/.test(e.message)));
  assert.equal(r.settings['telemetry.otlpEndpoint'], '');
  const o = resolveSettings({ configured: {}, overrides: { 'telemetry.attributes': { team: 'x' } } });
  assert.match(o.errors[0].message, /not to one request/);
  assert.deepEqual(o.settings['telemetry.attributes'], {});
});

test('the endpoint is restricted in untrusted workspaces, like baseUrl', () => {
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('lengthwise.telemetry.otlpEndpoint'));
});
