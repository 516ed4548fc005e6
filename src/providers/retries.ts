// The SDKs retry 429 and 5xx answers silently: this fetch wrapper tells the caller when one is about to wait and
// for how long (Retry-After), so the status bar can say "rate limited — retrying in 12 s".

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * Wraps `base` (the key's pinned fetch, providers/keyFetch.ts) so the caller learns when the SDK is about to wait and retry (the SDKs retry silently).
 * `maxRetries` is the SDK's setting: a retryable response on attempt ≤ maxRetries will be retried.
 */
export function observingFetch(
  base: typeof fetch,
  maxRetries: number,
  onRetry: (status: number, waitSeconds: number, attempt: number) => void,
  defaultWaitSeconds: (attempt: number) => number,
): typeof fetch {
  let attempt = 0;
  return async (input, init) => {
    attempt++;
    const res = await base(input, init);
    if (!res.ok && RETRYABLE(res.status) && attempt <= maxRetries) {
      const wait = retryAfterSeconds(res.headers) ?? defaultWaitSeconds(attempt);
      onRetry(res.status, wait, attempt);
    }
    return res;
  };
}

export function retryAfterSeconds(headers: Headers | Record<string, string> | undefined | null): number | undefined {
  if (!headers) return undefined;
  const get = (k: string) =>
    headers instanceof Headers ? headers.get(k) : (headers as Record<string, string>)[k] ?? undefined;
  const ms = get('retry-after-ms');
  if (ms && !Number.isNaN(parseFloat(ms))) return parseFloat(ms) / 1000;
  const s = get('retry-after');
  if (!s) return undefined;
  const n = parseFloat(s);
  if (!Number.isNaN(n)) return n;
  const date = Date.parse(s);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
