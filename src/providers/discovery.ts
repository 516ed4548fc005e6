// Asks an OpenAI-compatible server what its model's limits are (the parsing is core/models/discovery.ts). Plain
// fetch, not an LLM SDK call: these are the servers' own metadata endpoints. Rules: once per base URL + model per
// session (the answer, or its absence, is cached); a server that does not answer costs one short request; the
// caller never waits more than `waitMs` for it; nothing here throws. The key of the send that asks (handed out by
// the door for this approved endpoint) goes along, pinned to the endpoint's origin: a server started with an API key
// (llama-server --api-key) answers its list endpoints only with it. A 401 or 403 is kept (with whether a key went),
// so the send can say the server wants a key instead of only "limits unknown".
import { keyFetch } from './keyFetch';
import { followUpProbes, listKind, listProbe, mergeLimits, parseModelList, parseProbe, servedModels, trimSlash, type DiscoveredLimits, type Probe, type ServerKind } from '../core/models/discovery';

/** Per request. The caller waits at most DISCOVERY_WAIT_MS; a slower answer (OpenRouter's long list) is cached for the next send. */
const PROBE_TIMEOUT_MS = 2500;
const DISCOVERY_WAIT_MS = 1000;
/** OpenRouter's full model list is a few hundred KB; anything far larger is not a model list. */
const MAX_BODY_BYTES = 8_000_000;

type Answer = { ok: true; json: unknown } | { ok: false; reachable: boolean; status?: number };

/** What one discovery run learnt about a server and its model. */
export interface ServerOutcome {
  limits?: DiscoveredLimits;
  /** Which server it is, when its answers show it (the list's shape, or the probe that answered). */
  kind?: ServerKind;
  /** The ids its model list names (bounded); undefined when the list did not answer. */
  models?: string[];
  /** The list was refused (401/403): the status, and whether a key went with the request. */
  refused?: { status: number; keySent: boolean };
  /** Something answered at that address. */
  reachable: boolean;
}

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
      return { ok: false, reachable: true, status: res.status };
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
export async function discoverServer(baseUrl: string, model: string, opts: { timeoutMs?: number; fetch?: typeof fetch; key?: string } = {}): Promise<ServerOutcome> {
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const key = opts.key ?? '';
  // With a key, only to the endpoint's own origin, and no redirect (the key would follow it).
  const f = key ? keyFetch('openai-compatible', baseUrl, opts.fetch) : (opts.fetch ?? fetch);
  const first = listProbe(baseUrl);
  if (!first) return { reachable: false };
  const list = await ask(first, timeoutMs, f, key);
  // Down, refusing connections or too slow: one request, nothing more.
  if (!list.ok && !list.reachable) return { reachable: false };
  const out: ServerOutcome = { reachable: true };
  if (!list.ok && (list.status === 401 || list.status === 403)) out.refused = { status: list.status, keySent: key !== '' };
  const parsed = list.ok ? parseModelList(list.json, model) : { listed: false as const };
  if (list.ok) {
    out.models = servedModels(list.json);
    out.kind = parsed.kind ?? listKind(list.json);
  }
  let limits = parsed.limits;
  // llama-server serves its one model under any id: its /props applies even to an id its list does not name.
  const followKind = parsed.kind ?? (out.kind === 'llama-server' ? out.kind : undefined);
  for (const p of out.refused ? [] : followUpProbes(baseUrl, model, followKind, limits?.contextWindow !== undefined)) {
    const a = await ask(p, timeoutMs, f, key);
    if (!a.ok) {
      if (!a.reachable) break;
      continue;
    }
    const more = parseProbe(p, a.json, model);
    limits = mergeLimits(limits, more);
    if (more) out.kind ??= more.server;
    if (more?.contextWindow !== undefined) break;
  }
  if (limits) out.limits = limits;
  return out;
}

/**
 * The session's cache: one discovery per base URL + model. `limitsFor` waits at most `waitMs`; a slower answer
 * is still cached for the next send.
 */
export class LimitDiscovery {
  private readonly runs = new Map<string, Promise<ServerOutcome>>();
  private readonly done = new Map<string, ServerOutcome>();

  constructor(private readonly opts: { timeoutMs?: number; waitMs?: number; fetch?: typeof fetch } = {}) {}

  private key(baseUrl: string, model: string, withKey = false): string {
    return `${trimSlash(baseUrl.trim())}\u0000${model.trim()}\u0000${withKey ? 'key' : ''}`;
  }

  /** Already known (without waiting); undefined also when not asked yet. */
  known(baseUrl: string, model: string): DiscoveredLimits | undefined {
    return (this.done.get(this.key(baseUrl, model, true)) ?? this.done.get(this.key(baseUrl, model)))?.limits;
  }

  /** `apiKey`: the door's key for this endpoint ('' = none); asked again once a key is there (the answer may differ). */
  async limitsFor(baseUrl: string, model: string, apiKey = ''): Promise<DiscoveredLimits | undefined> {
    return (await this.outcomeFor(baseUrl, model, apiKey))?.limits;
  }

  /** Everything the run learnt (kind, models, a refusal), waiting at most `waitMs`; undefined when it is still out. */
  async outcomeFor(baseUrl: string, model: string, apiKey = ''): Promise<ServerOutcome | undefined> {
    const key = this.key(baseUrl, model, apiKey !== '');
    if (this.done.has(key)) return this.done.get(key);
    let run = this.runs.get(key);
    if (!run) {
      run = discoverServer(baseUrl, model, { ...this.opts, key: apiKey })
        .catch((): ServerOutcome => ({ reachable: false }))
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
    return (this.runs.get(this.key(baseUrl, model, true)) ?? this.runs.get(this.key(baseUrl, model)))?.then((o) => o.limits);
  }

  /** Forget what a server said (it was restarted with other settings, or a key was stored): asked again next time. */
  forget(baseUrl: string, model: string): void {
    for (const withKey of [true, false]) {
      this.runs.delete(this.key(baseUrl, model, withKey));
      this.done.delete(this.key(baseUrl, model, withKey));
    }
  }

  clear(): void {
    this.runs.clear();
    this.done.clear();
  }
}

/**
 * A server's model list alone (Use a Local Server looks at several addresses at once): its ids, which server it
 * is, or the refusal (401/403) and whether a key went. Short, bounded, nothing thrown.
 */
export async function listServer(baseUrl: string, opts: { timeoutMs?: number; fetch?: typeof fetch; key?: string } = {}): Promise<ServerOutcome> {
  const key = opts.key ?? '';
  const f = key ? keyFetch('openai-compatible', baseUrl, opts.fetch) : (opts.fetch ?? fetch);
  const probe = listProbe(baseUrl);
  if (!probe) return { reachable: false };
  const a = await ask(probe, opts.timeoutMs ?? PROBE_TIMEOUT_MS, f, key);
  if (!a.ok) return a.reachable && (a.status === 401 || a.status === 403) ? { reachable: true, refused: { status: a.status, keySent: key !== '' } } : { reachable: a.reachable };
  const out: ServerOutcome = { reachable: true, models: servedModels(a.json) ?? [] };
  const kind = listKind(a.json);
  if (kind) out.kind = kind;
  return out;
}
