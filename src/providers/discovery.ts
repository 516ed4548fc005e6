// Asks an OpenAI-compatible server what its model's limits are (the parsing is core/models/discovery.ts). Plain
// fetch, not an LLM SDK call: these are the servers' own metadata endpoints. Rules: once per base URL + model per
// session (the answer, or its absence, is cached); a server that does not answer costs one short request; the
// caller never waits more than `waitMs` for it; nothing here throws. The key of the send that asks (handed out by
// the door for this approved endpoint) goes along, pinned to the endpoint's origin: a server started with an API key
// (llama-server --api-key) answers its list endpoints only with it.
import { keyFetch } from './keyFetch';
import { followUpProbes, listProbe, mergeLimits, parseModelList, parseProbe, trimSlash, type DiscoveredLimits, type Probe } from '../core/models/discovery';

/** Per request. The caller waits at most DISCOVERY_WAIT_MS; a slower answer (OpenRouter's long list) is cached for the next send. */
const PROBE_TIMEOUT_MS = 2500;
const DISCOVERY_WAIT_MS = 1000;
/** OpenRouter's full model list is a few hundred KB; anything far larger is not a model list. */
const MAX_BODY_BYTES = 8_000_000;

type Answer = { ok: true; json: unknown } | { ok: false; reachable: boolean };

async function ask(p: Probe, timeoutMs: number, fetchImpl: typeof fetch, key: string): Promise<Answer> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const headers: Record<string, string> = p.body ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    const res = await fetchImpl(p.url, {
      method: p.method,
      headers,
      body: p.body ? JSON.stringify(p.body) : undefined,
      signal: ctl.signal,
      redirect: 'error',
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, reachable: true };
    }
    const len = Number(res.headers.get('content-length') ?? '0');
    if (len > MAX_BODY_BYTES) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, reachable: true };
    }
    const text = await res.text();
    if (text.length > MAX_BODY_BYTES) return { ok: false, reachable: true };
    try {
      return { ok: true, json: JSON.parse(text) };
    } catch {
      return { ok: false, reachable: true };
    }
  } catch {
    return { ok: false, reachable: false };
  } finally {
    clearTimeout(timer);
  }
}

/** One discovery run: the model list, then what the list says is worth asking. */
export async function discoverLimits(baseUrl: string, model: string, opts: { timeoutMs?: number; fetch?: typeof fetch; key?: string } = {}): Promise<DiscoveredLimits | undefined> {
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const key = opts.key ?? '';
  // With a key, only to the endpoint's own origin, and no redirect (the key would follow it).
  const f = key ? keyFetch('openai-compatible', baseUrl, opts.fetch) : (opts.fetch ?? fetch);
  const first = listProbe(baseUrl);
  if (!first) return undefined;
  const list = await ask(first, timeoutMs, f, key);
  // Down, refusing connections or too slow: one request, nothing more.
  if (!list.ok && !list.reachable) return undefined;
  const parsed = list.ok ? parseModelList(list.json, model) : { listed: false as const };
  let limits = parsed.limits;
  for (const p of followUpProbes(baseUrl, model, parsed.kind, limits?.contextWindow !== undefined)) {
    const a = await ask(p, timeoutMs, f, key);
    if (!a.ok) {
      if (!a.reachable) break;
      continue;
    }
    const more = parseProbe(p, a.json, model);
    limits = mergeLimits(limits, more);
    if (more?.contextWindow !== undefined) break;
  }
  return limits;
}

/**
 * The session's cache: one discovery per base URL + model. `limitsFor` waits at most `waitMs`; a slower answer
 * is still cached for the next send.
 */
export class LimitDiscovery {
  private readonly runs = new Map<string, Promise<DiscoveredLimits | undefined>>();
  private readonly done = new Map<string, DiscoveredLimits | undefined>();

  constructor(private readonly opts: { timeoutMs?: number; waitMs?: number; fetch?: typeof fetch } = {}) {}

  private key(baseUrl: string, model: string, withKey = false): string {
    return `${trimSlash(baseUrl.trim())}\u0000${model.trim()}\u0000${withKey ? 'key' : ''}`;
  }

  /** Already known (without waiting); undefined also when not asked yet. */
  known(baseUrl: string, model: string): DiscoveredLimits | undefined {
    return this.done.get(this.key(baseUrl, model, true)) ?? this.done.get(this.key(baseUrl, model));
  }

  /** `apiKey`: the door's key for this endpoint ('' = none); asked again once a key is there (the answer may differ). */
  async limitsFor(baseUrl: string, model: string, apiKey = ''): Promise<DiscoveredLimits | undefined> {
    const key = this.key(baseUrl, model, apiKey !== '');
    if (this.done.has(key)) return this.done.get(key);
    let run = this.runs.get(key);
    if (!run) {
      run = discoverLimits(baseUrl, model, { ...this.opts, key: apiKey })
        .catch(() => undefined)
        .then((r) => {
          this.done.set(key, r);
          return r;
        });
      this.runs.set(key, run);
    }
    const waitMs = this.opts.waitMs ?? DISCOVERY_WAIT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), waitMs);
    });
    try {
      return await Promise.race([run, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The run for a base URL + model, when one was started (resolves when the server answered or gave up). */
  settled(baseUrl: string, model: string): Promise<DiscoveredLimits | undefined> | undefined {
    return this.runs.get(this.key(baseUrl, model, true)) ?? this.runs.get(this.key(baseUrl, model));
  }

  clear(): void {
    this.runs.clear();
    this.done.clear();
  }
}
