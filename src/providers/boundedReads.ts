// The openai SDK's stream parser in linear time: an event-stream body handed on in small views.

/** Largest piece of an event-stream body handed to the openai SDK at once (bytes). */
const MAX_PIECE = 2048;

/**
 * An event-stream response whose body is handed on in pieces of at most `max` bytes (views of the same memory, no
 * copy): the openai SDK 6.x (7.x fixed it but needs Node 22) copies the rest of a network read once for every event
 * it splits off it, so one read costs O(n²) in its size. A fast local server delivers 16–64 KB reads; with 2 KB
 * pieces the SDK's CPU for a 100,000-token stream drops by 7–25 % (`npm run bench`, figures (1); 1 and 4 KB were
 * slower). The bytes and their order are unchanged.
 */
export function boundedReads(res: Response, max = MAX_PIECE): Response {
  const body = res.body;
  if (!res.ok || !body || !/^text\/event-stream/i.test(res.headers.get('content-type') ?? '')) return res;
  const reader = body.getReader();
  let rest: Uint8Array | undefined;
  const pieces = new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        if (!rest) {
          const r = await reader.read();
          if (r.done) return ctrl.close();
          rest = r.value;
        }
        if (rest.length <= max) {
          ctrl.enqueue(rest);
          rest = undefined;
        } else {
          ctrl.enqueue(rest.subarray(0, max));
          rest = rest.subarray(max);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return new Response(pieces, { status: res.status, statusText: res.statusText, headers: res.headers });
}
