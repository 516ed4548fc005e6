// The only fetch that carries a key: pinned to the endpoint the user approved. An SDK builds some URLs from what a
// server answers (Anthropic's results_url, a redirect's location); a request to any other origin (scheme, host,
// port) is refused before a byte leaves, and redirects are not followed.
import { approvedOrigin } from '../core/providers/endpoints';
import type { ProviderId } from '../core/protocol/request';

/** The status of the answer that stands in for a refused request: no SDK retries it. */
export const OFF_ORIGIN_STATUS = 421;

function urlOf(input: Parameters<typeof fetch>[0]): URL | undefined {
  try {
    return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  } catch {
    return undefined;
  }
}

/** Every SDK reads an error from a JSON body; this one says what was refused (toProviderError words it). */
function refusal(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { type: status === OFF_ORIGIN_STATUS ? 'off_origin' : 'redirect', message, code: status } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * fetch for requests that carry the key for `provider` at `baseUrl`: only to the approved origin
 * (core/providers/endpoints.ts approvedOrigin), never following a redirect (it would send the key headers —
 * x-api-key, x-goog-api-key, Authorization — to whatever address the server names). Either refusal reaches the SDK
 * as a failed request that it does not retry.
 */
export function keyFetch(provider: ProviderId, baseUrl: string | undefined, base: typeof fetch = fetch): typeof fetch {
  const origin = approvedOrigin(provider, baseUrl);
  return async (input, init) => {
    const url = urlOf(input);
    if (!url || !origin || url.origin !== origin) {
      return refusal(OFF_ORIGIN_STATUS, `refused to send the request to ${url?.host || 'an address that does not parse'}: not the approved endpoint ${origin ?? baseUrl ?? ''}`);
    }
    const res = await base(input, { ...init, redirect: 'manual' });
    // A browser does not show a redirect it was told not to follow: status 0, no location. 300 stands for "some
    // redirect" (errors.ts words it as one); nothing was followed.
    if (res.type === 'opaqueredirect') return refusal(300, 'redirect not followed');
    if (res.status < 300 || res.status >= 400) return res;
    const location = res.headers.get('location') ?? '';
    let to: string;
    try {
      to = new URL(location, res.url || url).host;
    } catch {
      to = '';
    }
    void res.body?.cancel().catch(() => undefined);
    return refusal(res.status, `redirect to ${to || 'another address'} not followed`, location ? { location } : {});
  };
}
