// Anthropic (api.anthropic.com): the Messages API.
import { entryForModel, idCandidates } from './modelIds';
import type { CacheFacts, ProviderProfile, TierFacts } from './profile';

/** Claude generation from an id ("claude-opus-4-7" → 4.7, "claude-fable-5-1" → 5.1); undefined when not parseable. */
function claudeVersion(model: string): { line: string; major: number; minor: number } | undefined {
  const id = idCandidates(model).at(-1) ?? model;
  // claude-opus-4-7, claude-sonnet-5, claude-4-6-opus (old order), claude-3-7-sonnet
  const m = /^claude-(?:([a-z]+)-)?(\d+)(?:-(\d{1,2}))?(?:-([a-z]+))?(?:-|$)/.exec(id);
  if (!m) return undefined;
  return { line: m[1] ?? m[4] ?? '', major: Number(m[2]), minor: m[3] !== undefined ? Number(m[3]) : 0 };
}

/**
 * Unknown Claude ids (not in the catalog) judged by version: models after Opus 4.6 (4.7+, 5.x and the Fable/Mythos
 * lines) accept only default sampling and adaptive thinking. Sending neither with a note is safer than a 400.
 */
export function claudeAfterOpus46(model: string): boolean {
  const v = claudeVersion(model);
  if (!v) return /^claude-(fable|mythos)/.test(idCandidates(model).at(-1) ?? '');
  if (v.line === 'fable' || v.line === 'mythos') return true;
  return v.major > 4 || (v.major === 4 && v.minor >= 7);
}

/**
 * Fast mode (`speed: "fast"`): Anthropic's faster, dearer tier, which lengthwise.serviceTier "priority" asks for. The
 * models that offer it, and those that still need the beta header, from platform.claude.com/docs/en/build-with-claude/fast-mode
 * (stored copies, read 2026-12-07): Claude Opus 5.5, Fable 5.2 and Mythos 5.2; Opus 5 in research preview (beta
 * header). Opus 4.8's was removed on 2026-11-30. Anthropic sells no flex tier; its Priority Tier is a legacy capacity
 * commitment, not a per-request choice.
 */
const FAST_MODE_MODELS: Readonly<Record<string, 'ga' | 'beta'>> = { 'claude-opus-5-5': 'ga', 'claude-fable-5-2': 'ga', 'claude-mythos-5-2': 'ga', 'claude-opus-5': 'beta' };
export const FAST_MODE_BETA = 'fast-mode-2026-02-01';

function fastMode(model: string): 'ga' | 'beta' | undefined {
  return entryForModel(FAST_MODE_MODELS, model)?.value;
}

/** Whether a request asking for fast mode on `model` needs the `anthropic-beta: fast-mode-2026-02-01` header. */
export function fastModeNeedsBeta(model: string): boolean {
  return fastMode(model) === 'beta';
}

const ANTHROPIC_TIERS: TierFacts = {
  flex: undefined,
  priority: { wire: 'speed: "fast" (fast mode)', offers: (m) => fastMode(m) !== undefined, price: 'table' },
  served: { standard: 'standard', fast: 'priority' },
  servedFrom: "the response's usage.speed",
  // Fast mode has its own rate limit and capacity: past them a 429 or 529 (the page's "Retries and fallback").
  refusals: [
    { tier: 'priority', status: [400], says: ['speed', 'fast mode', 'fast-mode'], why: 'not-offered' },
    { tier: 'priority', status: [429, 529], says: [], why: 'busy' },
  ],
};

/**
 * Minimum cacheable prompt per model, from Anthropic's prompt-caching page as quoted in anthropic-sdk-python issue
 * 1194 (2026): 4,096 for Opus 4.6, Opus 4.5 and Haiku 4.5; 2,048 for Haiku 3.5 and 3; 1,024 for the rest listed. A
 * model not listed gets 1,024, the lowest minimum of any Claude model: a prompt under it is below every one.
 */
const CLAUDE_CACHE_MIN: Readonly<Record<string, number>> = {
  'claude-opus-4-6': 4096,
  'claude-opus-4-5': 4096,
  'claude-haiku-4-5': 4096,
  'claude-3-5-haiku': 2048,
  'claude-3-haiku': 2048,
};
const ANTHROPIC_CACHE: CacheFacts = {
  minPrefixTokens(model) {
    return entryForModel(CLAUDE_CACHE_MIN, model)?.value ?? 1024;
  },
  source: 'Anthropic prompt caching: 1,024 tokens at least (4,096 for Opus 4.6, Opus 4.5 and Haiku 4.5; 2,048 for Haiku 3.5 and 3)',
};

export const anthropic: ProviderProfile = {
  id: 'anthropic',
  label: 'Anthropic',
  keyEnv: 'ANTHROPIC_API_KEY',
  keyRequired: true,
  keyHeader: 'x-api-key',
  transport: 'http',
  officialHost: 'api.anthropic.com',
  defaultHost: 'api.anthropic.com',
  needsBaseUrl: false,
  serves: ['anthropic'],
  customVendor: 'anthropic',
  finish: {
    end_turn: 'stop',
    stop_sequence: 'stop',
    max_tokens: 'length',
    model_context_window_exceeded: 'length',
    tool_use: 'tool',
    pause_turn: 'pause',
    refusal: 'content_filter',
  },
  // No documented count; a stop without a visible character is refused.
  stops: { max: undefined, visibleCharRequired: true },
  temperatureMax: 1,
  thinking: 'anthropic-budget',
  guess(modelId) {
    const modern = claudeAfterOpus46(modelId);
    return { reasoning: false, thinking: modern ? 'adaptive' : 'anthropic-budget', onlyDefaultSampling: modern, responsesOnly: false, verbosity: false };
  },
  openaiApis: undefined,
  serverLimits: false,
  asksGatewayCost: false,
  // Not published; local counts of Claude are estimates anyway.
  framing: undefined,
  // No exact local Claude tokenizer for Claude 3 and later: messages.countTokens or the response's usage.
  tokenizer: () => undefined,
  exactCount: 'remote',
  responsesInputCount: false,
  batch: { fraction: 0.5, source: 'Anthropic Message Batches: 50% off (docs.anthropic.com, batch processing)' },
  priceId: 'anthropic',
  priceTierStarts: {},
  telemetryName: 'anthropic',
  // The SDK's dangerouslyAllowBrowser sends anthropic-dangerous-direct-browser-access: true, without which the API
  // refuses a browser's request (@anthropic-ai/sdk client.js).
  web: { cors: 'opt-in', fix: 'api.anthropic.com answers a browser that sends anthropic-dangerous-direct-browser-access, which Lengthwise sends on the web; a proxy in lengthwise.baseUrl must allow that header and this origin too.' },
  tiers: ANTHROPIC_TIERS,
  cache: ANTHROPIC_CACHE,
};
