// The status bar tooltip is trusted Markdown (two of our commands may run from it): text a server or a workspace
// wrote — finish reasons, model ids, notes — must stay text there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tooltipMarkdown } from '../../src/core/views/statusText';
import { describeFinish } from '../../src/core/protocol/finish';
import { mapFinish } from '../../src/core/providers/finish';

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
