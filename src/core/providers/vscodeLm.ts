// VS Code's own language models (vscode.lm): GitHub Copilot's models and any model another extension registers.
// No endpoint and no key (the editor asks the model, and asks the user's consent where needed); no usage comes back,
// no output cap, no stop sequences and no finish reason: Lengthwise counts with the model's own tokenizer
// (countTokens) and enforces the cap and the stops itself (src/extension/lm/adapter.ts). Models are named
// "vendor/id" (e.g. copilot/gpt-4.1).
import type { ProviderProfile } from './profile';

/** The finish values the shell's adapter reports (the API has none of its own). */
export const VSCODE_LM_FINISH = {
  /** The model's stream ended. */
  end: 'stop',
  /** Lengthwise stopped reading at max tokens (counted with the model's tokenizer) and cancelled the request. */
  max_tokens: 'length',
  /** Lengthwise found a stop sequence, cut there and cancelled the request. */
  stop_sequence: 'stop',
} as const;

export const vscodeLm: ProviderProfile = {
  id: 'vscode-lm',
  label: 'VS Code language model',
  keyEnv: undefined,
  keyRequired: false,
  keyHeader: undefined,
  transport: 'editor',
  officialHost: undefined,
  defaultHost: undefined,
  needsBaseUrl: false,
  // Limits come from the model itself (maxInputTokens), not from the catalog: Copilot serves a model with its own
  // window.
  serves: [],
  customVendor: 'openai',
  finish: VSCODE_LM_FINISH,
  // Enforced by Lengthwise on the stream: any number, any text.
  stops: { max: undefined, visibleCharRequired: false },
  temperatureMax: 2,
  thinking: 'none',
  guess: () => ({ reasoning: false, thinking: 'none', onlyDefaultSampling: false, responsesOnly: false, verbosity: false }),
  openaiApis: undefined,
  // The model reports its input limit (LanguageModelChat.maxInputTokens).
  serverLimits: true,
  asksGatewayCost: false,
  framing: undefined,
  // The model's tokenizer is reached through countTokens (a round trip to its extension), not locally.
  tokenizer: () => undefined,
  exactCount: 'remote',
  responsesInputCount: false,
  batch: undefined,
  // Copilot's models are priced from GitHub's published per-token rates (core/pricing/copilotPrices.ts).
  priceTierStarts: {},
  priceId: 'copilot',
  telemetryName: 'vscode_lm',
  // No HTTP: VS Code itself reaches the model, the same on the web.
  web: { cors: 'none', fix: '' },
  // The API has no processing tiers (lengthwise.serviceTier is left out with a note) and reports no cache use.
  tiers: { flex: undefined, priority: undefined, served: {}, servedFrom: 'nothing: VS Code reports no tier', refusals: [] },
  cache: { minPrefixTokens: () => undefined, source: 'the model provider (VS Code reports no cache use)' },
};
