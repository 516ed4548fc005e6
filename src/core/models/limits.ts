// Effective max tokens and thinking budgets: the setting clamped to what the model can produce and to what is
// left of its context window after the prompt. Every adjustment comes back as a note a person can read.
import type { ProviderId } from '../protocol/request';
import { profileOf } from '../providers';
import type { ModelInfo } from './models';
import { formatTokens } from './models';
import type { ValidationIssue } from '../protocol/issues';

/**
 * Tokens kept free between prompt and answer: tokenizer differences, message framing, system prompt overhead.
 * Estimated input counts get 5% of the input on top, since they can be off by that much.
 */
export function safetyMargin(contextWindow: number, inputTokens: number, inputTokensExact: boolean): number {
  const base = Number.isFinite(contextWindow) ? Math.max(64, Math.ceil(contextWindow * 0.01)) : 64;
  return base + (inputTokensExact ? 0 : Math.ceil(inputTokens * 0.05));
}

export interface MaxTokensResult {
  maxTokens: number;
  clamped: boolean;
  notes: string[];
  errors: ValidationIssue[];
}

/**
 * min(setting, model max output, context window − input − margin). Unknown model: the setting as is (the
 * "limits unknown" note is the planner's). Input alone over the window: an error with the numbers.
 */
export function effectiveMaxTokens(
  requested: number,
  model: ModelInfo | undefined,
  inputTokens: number,
  inputTokensExact: boolean,
): MaxTokensResult {
  const res: MaxTokensResult = { maxTokens: requested, clamped: false, notes: [], errors: [] };
  if (!model) return res;
  const name = model.displayName;
  const approx = inputTokensExact ? '' : '~';
  const estimate = inputTokensExact ? '' : ' (estimate)';
  const input = Math.max(0, Math.ceil(inputTokens));

  if (model.maxInputTokens !== undefined && input > model.maxInputTokens) {
    res.errors.push({
      setting: 'lengthwise.model',
      value: model.id,
      message:
        `The prompt is ${approx}${input.toLocaleString('en-US')} tokens${estimate} but ${name} accepts at most ` +
        `${model.maxInputTokens.toLocaleString('en-US')} input tokens: shorten the selection or pick a model with a larger window.`,
    });
    return res;
  }

  let max = requested;
  if (max > model.maxOutputTokens) {
    res.notes.push(`max tokens ${requested} → ${model.maxOutputTokens}: ${name} outputs at most ${formatTokens(model.maxOutputTokens)}${uncertainty(model, 'maxOutputTokens')}`);
    max = model.maxOutputTokens;
  }

  if (Number.isFinite(model.contextWindow)) {
    const margin = safetyMargin(model.contextWindow, input, inputTokensExact);
    const room = model.contextWindow - input - margin;
    if (room < 1) {
      res.errors.push({
        setting: 'lengthwise.model',
        value: model.id,
        message:
          `The prompt is ${approx}${input.toLocaleString('en-US')} tokens${estimate}; with a safety margin of ${margin} it fills ` +
          `${name}'s context window of ${model.contextWindow.toLocaleString('en-US')} tokens, leaving no room for an answer: ` +
          `shorten the selection or pick a model with a larger window.`,
      });
      return res;
    }
    if (max > room) {
      res.notes.push(
        `max tokens ${max} → ${room}: the prompt uses ${approx}${input.toLocaleString('en-US')}${estimate} of ${name}'s ` +
          `${formatTokens(model.contextWindow)} context window (${margin} tokens kept as margin)${uncertainty(model, 'contextWindow')}`,
      );
      max = room;
    }
  }
  res.maxTokens = max;
  res.clamped = max !== requested;
  return res;
}

/** " (uncertain catalog figure: …)" when the limit a clamp used rests on a weak source. */
function uncertainty(model: ModelInfo, field: 'maxOutputTokens' | 'contextWindow'): string {
  if (!model.uncertain?.fields.includes(field)) return '';
  return ` (uncertain catalog figure: ${model.uncertain.why}; if your account allows more, set it in lengthwise.models)`;
}

const ANTHROPIC_MIN_THINKING = 1024;

export interface ThinkingResult {
  /** What to send; undefined = no thinking parameter. */
  thinkingBudget?: number;
  errors: ValidationIssue[];
  notes: string[];
  warnings: string[];
}

export interface ThinkingInput {
  budget: number | null;
  /** maxTokens as configured (before clamping). */
  requestedMaxTokens: number;
  /** maxTokens after clamping. */
  maxTokens: number;
  provider: ProviderId;
  model?: ModelInfo;
  label?: string;
  maxTokensLabel?: string;
  preset?: string;
}

/**
 * Thinking budget rules.
 * - Anthropic: budget_tokens ≥ 1024 and < max_tokens. A configuration that breaks this is an error (raising a
 *   budget spends money the user did not ask for). When only the clamp of max tokens breaks it, the budget is
 *   lowered to keep the answer room the user configured (never below 1024), with a note.
 * - Gemini: thinking counts against maxOutputTokens; budget ≥ max tokens → warning (the answer may be empty).
 *   Out-of-range budgets are moved into the model's documented range, with a note; 0 on a model that cannot turn
 *   thinking off is an error.
 * - OpenAI / compatible / models without thinking: not sent, with a note.
 * - Adaptive-only models (Claude after Opus 4.6, Gemini 4): a budget is refused by the API — not sent, with a note.
 */
export function applyThinking(t: ThinkingInput): ThinkingResult {
  const res: ThinkingResult = { errors: [], notes: [], warnings: [] };
  if (t.budget === null || t.budget === undefined) return res;
  const label = t.label ?? 'lengthwise.thinkingBudget';
  const mtLabel = t.maxTokensLabel ?? 'lengthwise.maxTokens';
  const base = { setting: 'lengthwise.thinkingBudget', value: t.budget, ...(t.preset ? { preset: t.preset } : {}) };
  const budget = t.budget;
  const model = t.model;
  const kind = model?.thinking ?? profileOf(t.provider).thinking;
  const name = model?.displayName ?? t.provider;

  if (kind === 'openai-reasoning') {
    res.notes.push(`thinking budget not sent: ${name} takes no token budget for reasoning; its reasoning tokens count inside max tokens.`);
    return res;
  }
  if (kind === 'none') {
    res.notes.push(`thinking budget not sent: ${name} has no thinking budget parameter.`);
    return res;
  }
  if (kind === 'adaptive') {
    if (budget === 0) {
      res.notes.push(`thinking budget 0 not sent: ${name} decides itself whether to think (adaptive thinking); its thinking counts toward max tokens.`);
      return res;
    }
    res.notes.push(
      `thinking budget not sent: ${name} decides how much to think (adaptive thinking) and refuses a token budget; ` +
        `its thinking counts toward max tokens.`,
    );
    return res;
  }

  if (kind === 'anthropic-budget') return anthropicBudget(t, res, { label, mtLabel, base, name });
  return geminiBudget(t, res, { label, mtLabel, base, name });
}

interface ThinkingWords {
  label: string;
  mtLabel: string;
  base: Omit<ValidationIssue, 'message'>;
  name: string;
}

/** Anthropic: budget_tokens ≥ 1024 and below max tokens; lowered (never below 1024) when only the clamp broke it. */
function anthropicBudget(t: ThinkingInput, res: ThinkingResult, w: ThinkingWords): ThinkingResult {
  const { label, mtLabel, base, name } = w;
  const budget = t.budget!;
  if (budget === 0) {
    res.notes.push('thinking off: thinking budget 0 is not sent to Anthropic (null means the same).');
    return res;
  }
  if (budget < ANTHROPIC_MIN_THINKING) {
    res.errors.push({
      ...base,
      message: `${label} is ${budget}: Anthropic requires at least ${ANTHROPIC_MIN_THINKING} — set 1024 or more, or null to turn thinking off.`,
    });
    return res;
  }
  if (budget >= t.requestedMaxTokens) {
    res.errors.push({
      ...base,
      message:
        `${label} is ${budget}, not below ${mtLabel} (${t.requestedMaxTokens}): Anthropic needs room for the answer after thinking — ` +
        `raise maxTokens above ${budget} or lower thinkingBudget.`,
    });
    return res;
  }
  if (budget < t.maxTokens) {
    res.thinkingBudget = budget;
    return res;
  }
  // The clamp took tokens away: keep the configured answer room, thinking gets what is left (≥ 1024).
  const answerRoom = t.requestedMaxTokens - budget;
  const lowered = Math.max(ANTHROPIC_MIN_THINKING, t.maxTokens - answerRoom);
  if (lowered >= t.maxTokens) {
    res.errors.push({
      ...base,
      message:
        `${label} is ${budget} but max tokens had to be lowered to ${t.maxTokens} for ${name}, which leaves no room for a ` +
        `thinking budget of at least ${ANTHROPIC_MIN_THINKING} plus an answer: set thinkingBudget to null or shorten the prompt.`,
    });
    return res;
  }
  res.notes.push(`thinking budget ${budget} → ${lowered}: max tokens was lowered to ${t.maxTokens}, keeping ${t.maxTokens - lowered} tokens for the answer`);
  res.thinkingBudget = lowered;
  return res;
}

/** Gemini: thinking counts against maxOutputTokens; a budget is moved into the model's documented range. */
function geminiBudget(t: ThinkingInput, res: ThinkingResult, w: ThinkingWords): ThinkingResult {
  const { label, mtLabel, base, name } = w;
  const budget = t.budget!;
  const model = t.model;
  let sent = budget;
  if (budget === 0 && model?.thinkingCanDisable === false) {
    res.errors.push({
      ...base,
      message: `${label} is 0 but ${name} cannot turn thinking off: use at least ${model.thinkingBudgetMin ?? 128}, or null for the model's default.`,
    });
    return res;
  }
  if (budget !== 0 && model?.thinkingBudgetMin !== undefined && budget < model.thinkingBudgetMin) {
    sent = model.thinkingBudgetMin;
    res.notes.push(`thinking budget ${budget} → ${sent}: ${name} accepts ${model.thinkingBudgetMin}–${model.thinkingBudgetMax ?? '…'}`);
  }
  if (model?.thinkingBudgetMax !== undefined && budget > model.thinkingBudgetMax) {
    sent = model.thinkingBudgetMax;
    res.notes.push(`thinking budget ${budget} → ${sent}: ${name} accepts at most ${model.thinkingBudgetMax}`);
  }
  if (sent > 0 && sent >= t.maxTokens) {
    res.warnings.push(
      `thinking budget ${sent} ≥ max tokens ${t.maxTokens}: Gemini counts thinking against maxOutputTokens, so the answer may be ` +
        `empty (finish MAX_TOKENS with no text) — lower ${label} or raise ${mtLabel}.`,
    );
  }
  res.thinkingBudget = sent;
  return res;
}

/** Static Anthropic rules on the settings alone (used by settings validation, before input tokens are known). */
export function checkThinkingSettings(t: Omit<ThinkingInput, 'maxTokens'>): ValidationIssue[] {
  return applyThinking({ ...t, maxTokens: t.requestedMaxTokens }).errors;
}
