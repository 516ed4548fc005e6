// An OpenAI-compatible server (Ollama, llama-server, vLLM, LM Studio, a proxy or gateway): the openai SDK at the
// server's base URL. It may serve any vendor's model under its usual id; what it supports is the server's business.
import { OPENAI_FINISH, OPENAI_FRAMING, openAITokenizer } from './openai';
import type { ProviderProfile } from './profile';

/** Someone else's server: which tiers it sells and at what price is not known here (lengthwise.serviceTier is left out with a note). */
const NO_TIERS = { flex: undefined, priority: undefined, served: {}, servedFrom: 'nothing known', refusals: [] } as const;

export const openaiCompatible: ProviderProfile = {
  id: 'openai-compatible',
  label: 'OpenAI-compatible server',
  // A local or third-party server gets only a key stored for it, never OPENAI_API_KEY.
  keyEnv: undefined,
  keyRequired: false,
  keyHeader: 'authorization',
  // By definition someone else's host.
  transport: 'http',
  officialHost: undefined,
  // The openai SDK's default, should a base URL be missing (validation refuses that before anything is sent).
  defaultHost: 'api.openai.com',
  needsBaseUrl: true,
  serves: ['openai', 'anthropic', 'gemini'],
  customVendor: 'openai',
  finish: OPENAI_FINISH,
  // Compatible servers differ (vLLM, Ollama accept more); a catalog model's own limit still applies.
  stops: { max: undefined, visibleCharRequired: false },
  temperatureMax: 2,
  // An unknown server's model: nothing that an unknown parameter could turn into a 400.
  thinking: 'none',
  guess: () => ({ reasoning: false, thinking: 'none', onlyDefaultSampling: false, responsesOnly: false, verbosity: false }),
  openaiApis: 'chat',
  serverLimits: true,
  asksGatewayCost: true,
  framing: OPENAI_FRAMING,
  tokenizer: openAITokenizer,
  exactCount: 'local',
  responsesInputCount: false,
  batch: undefined,
  priceId: undefined,
  priceTierStarts: {},
  // A compatible server is not OpenAI: it gets its own name.
  telemetryName: 'openai_compatible',
  web: {
    cors: 'server',
    fix: 'the server must allow this origin: llama-server does by default; Ollama needs OLLAMA_ORIGINS (e.g. OLLAMA_ORIGINS=*); LM Studio has "Enable CORS" in its server settings; vLLM takes --allowed-origins; a gateway (LiteLLM, a proxy) has its own CORS setting.',
  },
  tiers: NO_TIERS,
  // Local servers and gateways cache (or not) by their own rules.
  cache: { minPrefixTokens: () => undefined, source: 'the server' },
};
