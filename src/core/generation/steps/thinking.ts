// Step "thinking": the thinking budget the model takes (models/limits.ts applyThinking has the rules), and the
// warning that a model thinking by default spends max tokens on it.
import { applyThinking } from '../../models/limits';
import type { ModelInfo } from '../../models/models';
import { settingLabel } from '../../settings/settings';
import type { PlanContext } from './context';

export function thinkingStep(c: PlanContext): void {
  const { s, plan, sources } = c;
  if (c.limitsFailed || c.cross.errors.some((e) => e.setting === 'lengthwise.thinkingBudget')) return;
  const tbSrc = sources.thinkingBudget;
  // An unknown id whose guessed thinking differs from the provider's (an OpenAI reasoning id, a Claude after Opus
  // 4.6) is judged as that kind; otherwise as the provider's.
  const guessed = !c.model && c.guess.thinking !== c.profile.thinking ? ({ displayName: s.model, thinking: c.guess.thinking } as ModelInfo) : undefined;
  const thinking = applyThinking({
    budget: s.thinkingBudget,
    requestedMaxTokens: s.maxTokens,
    maxTokens: c.clampedMaxTokens,
    provider: s.provider,
    model: c.model ?? guessed,
    label: settingLabel('thinkingBudget', tbSrc),
    maxTokensLabel: settingLabel('maxTokens', sources.maxTokens),
    ...(tbSrc?.preset !== undefined ? { preset: tbSrc.preset } : {}),
  });
  plan.errors.push(...thinking.errors);
  plan.notes.push(...thinking.notes);
  plan.warnings.push(...thinking.warnings);
  if (thinking.thinkingBudget !== undefined) c.draft.thinkingBudget = thinking.thinkingBudget;
}

/** The note that a model thinking by default spends max tokens on it (after the thinking step's notes). */
export function thinksByDefaultStep(c: PlanContext): void {
  if (!c.model?.thinkingByDefault || c.limitsFailed) return;
  c.plan.notes.push(
    `${c.name} thinks by default and its thinking counts toward max tokens (${c.clampedMaxTokens}): a small limit can end the answer early or leave it empty.`,
  );
}
