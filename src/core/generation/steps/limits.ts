// Step "limits": which model this is (the catalog, lengthwise.models, or what the server reported) and the max
// tokens it leaves room for after the prompt.
import { describeDiscovered, withDiscovered } from '../../models/discovery';
import { effectiveMaxTokens } from '../../models/limits';
import { findModel } from '../../models/models';
import type { PlanContext } from './context';

export function limitsStep(c: PlanContext): void {
  const { s, plan } = c;
  let model = findModel(s.provider, s.model, s.models);
  const d = c.profile.serverLimits ? c.input.discovered : undefined;
  if (d && (d.contextWindow !== undefined || d.maxOutputTokens !== undefined || d.maxInputTokens !== undefined)) {
    if (model?.overridden || model?.custom) {
      plan.notes.push(`limits of "${s.model}" from lengthwise.models; the server reports ${describeDiscovered(d)} (not used: your setting wins).`);
    } else {
      model = withDiscovered(model, s.model, d);
      plan.notes.push(`limits of "${s.model}": ${describeDiscovered(d)}.`);
    }
  }
  if (d?.ignored.length) plan.notes.push(`the server's limits were not used where they made no sense: ${d.ignored.join('; ')}.`);
  plan.model = model;
  c.model = model;
  c.name = model?.displayName ?? s.model;
  c.reasoning = model ? model.reasoning : c.guess.reasoning;
  if (!model) {
    plan.notes.push(
      `limits of model "${s.model}" are unknown; add them in lengthwise.models, e.g. {"${s.model}": {"contextWindow": 131072, "maxOutputTokens": 8192}} — ` +
        `max tokens ${s.maxTokens} is sent unclamped.`,
    );
  } else {
    // Custom models without a figure, and catalog entries whose figure no source gives (e.g. Claude Mythos Preview).
    const where = model.custom ? 'not in lengthwise.models' : 'not in the catalog — set it in lengthwise.models';
    if (!Number.isFinite(model.contextWindow)) plan.notes.push(`context window of "${s.model}" is unknown (${where}): max tokens is not clamped to it.`);
    if (!Number.isFinite(model.maxOutputTokens)) plan.notes.push(`max output of "${s.model}" is unknown (${where}): max tokens is not clamped to it.`);
  }
  const limits = effectiveMaxTokens(s.maxTokens, model, c.input.inputTokens, c.input.inputTokensExact);
  plan.errors.push(...limits.errors);
  plan.notes.push(...limits.notes);
  plan.clamped = limits.clamped;
  c.limitsFailed = limits.errors.length > 0;
  c.clampedMaxTokens = limits.maxTokens;
  c.draft.maxTokens = limits.maxTokens;
}
