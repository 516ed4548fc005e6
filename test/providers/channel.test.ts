// The adapters' event channel: text of one event-loop turn is handed on as one delta, in order, nothing lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventChannel } from '../../src/providers/common';
import type { ProviderEvent } from '../../src/core/protocol/request';

test('deltas of one turn are joined; other events keep their place; later turns stay apart', async () => {
  const ch = new EventChannel();
  const seen: ProviderEvent[] = [];
  const reading = (async () => {
    for await (const e of ch) seen.push(e);
  })();
  ch.pushText('a');
  ch.pushText('b');
  ch.push({ type: 'usage', usage: { outputTokens: 2 } });
  ch.pushText('c');
  ch.pushText('');
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  ch.pushText('d');
  ch.push({ type: 'finish', finish: { raw: 'stop', reason: 'stop', truncated: false } });
  ch.close();
  ch.pushText('after close');
  await reading;
  assert.deepEqual(
    seen.map((e) => (e.type === 'text' ? e.text : e.type)),
    ['ab', 'usage', 'c', 'd', 'finish'],
  );
});
