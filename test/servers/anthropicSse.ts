// A small server shaped exactly like Anthropic's streaming Messages endpoint, for the usage fields aimock does not
// emit: message_start's placeholder output_tokens of 1 and `cache_creation` split into 5-minute and 1-hour writes.
// The event sequence and fields follow Anthropic's documented stream (message_start, content_block_start,
// content_block_delta text_delta…, content_block_stop, message_delta with the final usage, message_stop).
// Real HTTP on 127.0.0.1, port 0.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AnthropicStreamPlan {
  /** message_start.message.usage, as the API sends it (output_tokens 1 there). */
  startUsage: Record<string, unknown>;
  chunks: string[];
  /** message_delta.usage; omitted = the socket drops after the chunks (no message_delta). */
  deltaUsage?: Record<string, unknown>;
  stopReason?: string;
}

export async function startAnthropicSse(plan: () => AnthropicStreamPlan): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const p = plan();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      send('message_start', {
        message: { id: 'msg_local', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4-5', stop_reason: null, stop_sequence: null, usage: p.startUsage },
      });
      send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      for (const text of p.chunks) send('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
      if (!p.deltaUsage) {
        res.destroy();
        return;
      }
      send('content_block_stop', { index: 0 });
      send('message_delta', { delta: { stop_reason: p.stopReason ?? 'end_turn', stop_sequence: null }, usage: p.deltaUsage });
      send('message_stop', {});
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
