// The status bar tooltip is trusted Markdown (two of our commands may run from it): text a server or a workspace
// wrote — finish reasons, model ids, notes — must stay text there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tooltipMarkdown } from '../../../src/core/views/statusText';
import { describeFinish } from '../../../src/core/protocol/finish';
import { mapFinish } from '../../../src/core/providers/finish';
import { presetValues, resolveSettings } from '../../../src/core/settings/settings';

const ATTACK = 'x](command:lengthwise.selectPreset?%5B%22evil%22%5D) [click](command:workbench.action.terminal.new) ![t](https://evil.example/pixel.png) <https://evil.example>\n\n# heading';

test('security: a finish reason, model id and note from a server form no link, image or autolink in the tooltip', () => {
  const finish = mapFinish('openai', ATTACK);
  const md = tooltipMarkdown({
    title: `${ATTACK}: ${describeFinish(finish)}`,
    model: `gpt\`${ATTACK}`,
    usage: { inputTokens: 1, outputTokens: 1 },
    source: 'provider',
    session: { usd: 0, requests: 1 },
    workspace: { usd: 0, requests: 1 },
    notes: [ATTACK],
  });
  // Only the tooltip's own two links remain, each exactly as written by tooltipMarkdown.
  const links = [...md.matchAll(/(?<!\\)\[([^\]]*)(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[2]);
  assert.deepEqual(links, ['command:lengthwise.showDashboard', 'command:lengthwise.selectPreset'], md);
  assert.ok(!/(?<!\\)!(?<!\\)\[/.test(md), 'no image');
  assert.ok(!/(?<!\\)<https?:/.test(md), 'no autolink');
  assert.ok(!/^#/m.test(md), 'no heading from a line break in server text');
  assert.ok(md.includes('evil.example'), 'the text itself is still shown');
});

test('security: a workspace preset named as a link, with an image in its values, forms no link or image in the tooltip; each value is bounded', () => {
  const name = '[Fix your budget](command:lengthwise.selectPreset?%5B%22evil%22%5D)';
  const image = '![](https://evil.example/pixel.png)';
  const r = resolveSettings({ configured: {}, userPresets: { [name]: { systemPrompt: `${image} ${'x'.repeat(80_000)}`, stopSequences: [image] } }, presetName: name });
  assert.deepEqual(r.errors, []);
  const fromPreset = presetValues(r)!;
  const md = tooltipMarkdown({ title: 't', session: { usd: 0, requests: 0 }, workspace: { usd: 0, requests: 0 }, fromPreset });
  const links = [...md.matchAll(/(?<!\\)\[([^\]]*)(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[2]);
  assert.deepEqual(links, ['command:lengthwise.showDashboard', 'command:lengthwise.selectPreset'], md.slice(0, 400));
  assert.ok(!/(?<!\\)!(?<!\\)\[/.test(md), 'no image');
  const line = md.split('\n').find((l) => l.startsWith('From the preset'))!;
  assert.ok(line.includes('Fix your budget') && line.includes('evil.example'), 'the text itself is still shown');
  assert.ok(line.length < 1_000, `${line.length} characters`);
});
