// The adapters' event channel: text of one event-loop turn is handed on as one delta, in order, nothing lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventChannel } from '../../src/providers/channel';
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

test('boundedReads: an event stream is handed on in pieces of at most max bytes, the same bytes in order', async () => {
  const { boundedReads } = await import('../../src/providers/boundedReads');
  const bytes = new TextEncoder().encode('data: {"x":"é"}\n\n'.repeat(700)); // one 12,600-byte read
  const res = new Response(new Blob([bytes]).stream(), { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  const out = boundedReads(res, 1000);
  assert.equal(out.status, 200);
  assert.equal(out.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const pieces: Uint8Array[] = [];
  const reader = out.body!.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(r.value);
  assert.ok(pieces.length >= 13, `${pieces.length} pieces`);
  assert.ok(pieces.every((p) => p.length <= 1000 && p.length > 0));
  assert.deepEqual(Buffer.concat(pieces), Buffer.from(bytes));
});

test('boundedReads: other responses (JSON, errors) are passed on untouched', async () => {
  const { boundedReads } = await import('../../src/providers/boundedReads');
  const json = new Response('{"a":1}', { status: 200, headers: { 'content-type': 'application/json' } });
  assert.equal(boundedReads(json, 2), json);
  const failed = new Response('data: x\n\n', { status: 500, headers: { 'content-type': 'text/event-stream' } });
  assert.equal(boundedReads(failed, 2), failed);
});

test('boundedReads: cancelling the pieces cancels the network body', async () => {
  const { boundedReads } = await import('../../src/providers/boundedReads');
  let cancelled: unknown;
  const body = new ReadableStream<Uint8Array>({
    pull: (c) => c.enqueue(new Uint8Array(5000)),
    cancel: (r) => void (cancelled = r ?? 'cancelled'),
  });
  const out = boundedReads(new Response(body, { headers: { 'content-type': 'text/event-stream' } }), 1000);
  const reader = out.body!.getReader();
  assert.equal((await reader.read()).value?.length, 1000);
  await reader.cancel('stop');
  assert.equal(cancelled, 'stop');
});
