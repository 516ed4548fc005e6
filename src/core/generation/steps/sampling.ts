// Step "sampling": temperature and top_p, sent only where the model takes them. The rules by model family: OpenAI
// reasoning models take neither; Claude after Opus 4.6 only the defaults (temperature 1.0, top_p ≥ 0.99, not both);
// Anthropic extended thinking only the default temperature and top_p 0.95–1; Claude 4.1/4.5 one of the two.
import { profileOf } from '../../providers';
import type { PlanContext } from './context';

/** Only the model's default sampling: its catalog flag, or the guess for an unknown id. */
function defaultSamplingOnly(c: PlanContext): boolean {
  return c.model ? c.model.onlyDefaultSampling === true : c.guess.onlyDefaultSampling;
}

/** Extended thinking with a token budget of the Anthropic kind is on (it narrows sampling). */
function budgetThinking(c: PlanContext): boolean {
  return c.draft.thinkingBudget !== undefined && profileOf(c.model?.provider ?? c.s.provider).thinking === 'anthropic-budget';
}

function temperatureStep(c: PlanContext): void {
  const { s, plan, name } = c;
  if (s.temperature === null) return;
  if (c.reasoning || (c.model && !c.model.supportsTemperature)) {
    plan.notes.push(`temperature not sent: ${name} accepts only its default temperature (OpenAI reasoning model).`);
  } else if (defaultSamplingOnly(c) && s.temperature !== 1) {
    plan.notes.push(
      `temperature not sent: ${name} accepts only the default temperature 1.0 (Claude models released after Opus 4.6 refuse other values with a 400), so ${s.temperature} does not apply.`,
    );
  } else if (budgetThinking(c)) {
    plan.notes.push('temperature not sent: Anthropic extended thinking works only with the default temperature (thinking budget is set).');
  } else c.draft.temperature = s.temperature;
}

function topPStep(c: PlanContext): void {
  const { s, plan, name } = c;
  const temperature = c.draft.temperature;
  if (s.topP === null) return;
  if (c.reasoning || (c.model && !c.model.supportsTopP)) {
    plan.notes.push(`top_p not sent: ${name} does not accept it (OpenAI reasoning model).`);
  } else if (defaultSamplingOnly(c) && s.topP < 0.99) {
    plan.notes.push(
      `top_p not sent: ${name} accepts only top_p ≥ 0.99 (Claude models released after Opus 4.6 refuse lower values with a 400), so ${s.topP} does not apply.`,
    );
  } else if (defaultSamplingOnly(c) && temperature !== undefined) {
    plan.notes.push(`top_p not sent: ${name} refuses temperature and top_p in one request — temperature ${temperature} is sent.`);
  } else if (budgetThinking(c) && s.topP < 0.95) {
    plan.notes.push(`top_p not sent: with extended thinking Anthropic accepts only 0.95–1 (it is ${s.topP}).`);
  } else if (c.model?.samplingOneOf && temperature !== undefined) {
    plan.notes.push(`top_p not sent: ${name} accepts temperature or top_p, not both — temperature ${temperature} is used.`);
  } else c.draft.topP = s.topP;
}

export function samplingStep(c: PlanContext): void {
  temperatureStep(c);
  topPStep(c);
}
