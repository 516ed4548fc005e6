// The settings' shape: keys, defaults (the one key list), where a value came from, and how issues are reported.
import type { ProviderId, ServiceTier, Verbosity } from '../protocol/request';
import type { ModelOverride } from '../models/types';
import type { PricingOverride } from '../pricing/types';
import { OPENAI_API_CHOICES, type OpenAIApiChoice, type ValidationIssue } from '../protocol/issues';

export type OutputMode = 'insertAfter' | 'replace' | 'newDocument';
export const OUTPUT_MODES: readonly OutputMode[] = ['insertAfter', 'replace', 'newDocument'];
export const BUDGET_ACTIONS = ['warn', 'block'] as const;
export { OPENAI_API_CHOICES, type ValidationIssue };
export const CHUNKING_STRATEGIES = ['ask', 'chunks', 'summarizeFirst', 'off'] as const;

/** Entries of lengthwise.pricing and lengthwise.models (one shape each, shared with pricing and models). */
export type PriceOverride = PricingOverride;
export type ModelLimitsOverride = ModelOverride;

/** Flat keys exactly as the settings, without the `lengthwise.` prefix (`presets` is passed separately). */
export interface LengthwiseSettings {
  provider: ProviderId;
  model: string;
  baseUrl: string;
  maxTokens: number;
  stopSequences: string[];
  includeStopSequence: boolean;
  temperature: number | null;
  topP: number | null;
  systemPrompt: string;
  /** "off" | "auto" | a template with {words}, {tokens}, {lines} (generation/lengthHint.ts). */
  lengthHint: string;
  thinkingBudget: number | null;
  output: OutputMode;
  'continuation.auto': boolean;
  'continuation.maxRounds': number;
  'budget.usd': number | null;
  'budget.action': 'warn' | 'block';
  pricing: Record<string, PriceOverride>;
  models: Record<string, ModelLimitsOverride>;
  requestTimeoutSeconds: number;
  openaiApi: OpenAIApiChoice;
  verbosity: Verbosity | null;
  /** Processing tier where the provider sells one; priced by the tier that served (pricing/serviceTier.ts). */
  serviceTier: ServiceTier;
  preset: string;
  'chunking.strategy': (typeof CHUNKING_STRATEGIES)[number];
  'chunking.maxInputTokens': number | null;
  'chunking.overlapTokens': number;
  'chunking.summaryTokens': number;
  /** OTLP/HTTP metrics URL of the team's collector; "" = no export. */
  'telemetry.otlpEndpoint': string;
  /** Extra resource attributes on exported metrics (team, project). */
  'telemetry.attributes': Record<string, string>;
  'telemetry.exportIntervalSeconds': number;
}
export type SettingKey = keyof LengthwiseSettings;

/** Must equal package.json's defaults (a unit test compares them). */
export const DEFAULT_SETTINGS: LengthwiseSettings = Object.freeze({
  provider: 'openai',
  model: 'gpt-4.1-mini',
  baseUrl: '',
  maxTokens: 1024,
  stopSequences: [],
  includeStopSequence: false,
  temperature: null,
  topP: null,
  systemPrompt: '',
  lengthHint: 'off',
  thinkingBudget: null,
  output: 'insertAfter',
  'continuation.auto': false,
  'continuation.maxRounds': 3,
  'budget.usd': null,
  'budget.action': 'warn',
  pricing: {},
  models: {},
  requestTimeoutSeconds: 600,
  openaiApi: 'auto',
  verbosity: null,
  serviceTier: 'standard',
  preset: '',
  'chunking.strategy': 'ask',
  'chunking.maxInputTokens': null,
  'chunking.overlapTokens': 0,
  'chunking.summaryTokens': 512,
  'telemetry.otlpEndpoint': '',
  'telemetry.attributes': {},
  'telemetry.exportIntervalSeconds': 60,
}) as LengthwiseSettings;

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];
/** Settings of the workspace as a whole (where its spend is exported), not of a request: no preset or per-call value. */
export const WORKSPACE_ONLY_KEYS: readonly SettingKey[] = ['telemetry.otlpEndpoint', 'telemetry.attributes', 'telemetry.exportIntervalSeconds'];
export const EXPORT_INTERVAL_BOUNDS = { min: 10, max: 3600 } as const;
/** Every `lengthwise.*` configuration key: the settings plus `presets` (the preset definitions, not a setting itself). */
export const CONFIGURATION_KEYS: readonly string[] = [...SETTING_KEYS, 'presets'];
export const MAX_TOKENS_LIMIT = 1_000_000;
/** Longer keys (setting names inside presets, preset names) are refused without reading further. */
export const MAX_KEY_CHARS = 100;


/** Where an effective value came from (for messages and the UI: "300 from preset quick answer"). */
export interface SettingSource {
  layer: 'default' | 'configured' | 'preset' | 'override';
  preset?: string;
}
export type SettingSources = Partial<Record<SettingKey, SettingSource>>;

/** How a setting is named in messages, given where its value came from. */
export function settingLabel(key: string, source?: SettingSource): string {
  if (source?.layer === 'preset' && source.preset !== undefined) return `preset "${source.preset}" → ${key}`;
  if (source?.layer === 'override') return `lengthwise.${key} (per-call override)`;
  return `lengthwise.${key}`;
}

export function isSettingKey(k: string): k is SettingKey {
  return Object.prototype.hasOwnProperty.call(DEFAULT_SETTINGS, k);
}
