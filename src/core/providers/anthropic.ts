// Anthropic (api.anthropic.com): the Messages API.
import { idCandidates } from './modelIds';
import type { ProviderProfile } from './profile';

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
  batch: { fraction: 0.5, source: 'Anthropic Message Batches: 50% off (docs.anthropic.com, batch processing)' },
  priceId: 'anthropic',
  telemetryName: 'anthropic',
  // The SDK's dangerouslyAllowBrowser sends anthropic-dangerous-direct-browser-access: true, without which the API
  // refuses a browser's request (@anthropic-ai/sdk client.js).
  web: { cors: 'opt-in', fix: 'api.anthropic.com answers a browser that sends anthropic-dangerous-direct-browser-access, which Lengthwise sends on the web; a proxy in lengthwise.baseUrl must allow that header and this origin too.' },
};
