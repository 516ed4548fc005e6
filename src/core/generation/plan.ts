// Settings + prompt → the GenerationRequest that goes over the wire, or the errors that stop it. Every translation
// decision (clamps, dropped parameters, thinking) is made by a named step in generation/steps/, each with a note
// for the user; the provider questions are answered by its profile (core/providers).
import { profileOf } from '../providers';
import { crossCheck, validateSettings } from '../settings/settings';
import { apiStep } from './steps/api';
import { buildStep } from './steps/build';
import type { Plan, PlanContext, PlanInput } from './steps/context';
import { limitsStep } from './steps/limits';
import { samplingStep } from './steps/sampling';
import { lintStep, stopsStep } from './steps/stops';
import { thinkingStep, thinksByDefaultStep } from './steps/thinking';
import { tierStep } from './steps/tier';
import { budgetFitStep } from './steps/budgetFit';

export { DEFAULT_MAX_RETRIES } from './steps/build';
export type { Plan, PlanInput } from './steps/context';

/**
 * The steps in order (each in generation/steps/, a small function over the shared context): the model's limits,
 * the API, the processing tier, the stops, thinking, sampling, the budget's fit, the stop lint; then, when nothing
 * refused the request, the length hint and the build.
 */
const STEPS: readonly ((c: PlanContext) => void)[] = [limitsStep, apiStep, tierStep, stopsStep, thinkingStep, thinksByDefaultStep, samplingStep, budgetFitStep, lintStep];

export function planRequest(input: PlanInput): Plan {
  const s = input.settings;
  const sources = input.sources ?? {};
  const plan: Plan = { errors: [], notes: [], warnings: [], lint: [], requestedMaxTokens: s.maxTokens, clamped: false };

  plan.errors.push(...validateSettings(s, sources));
  if (plan.errors.length > 0) return plan;

  const cross = crossCheck(s, sources);
  plan.errors.push(...cross.errors);
  plan.warnings.push(...cross.warnings);

  const profile = profileOf(s.provider);
  const c: PlanContext = {
    input,
    s,
    sources,
    profile,
    guess: profile.guess(s.model),
    name: s.model,
    reasoning: false,
    cross,
    limitsFailed: false,
    clampedMaxTokens: s.maxTokens,
    plan,
    draft: { maxTokens: s.maxTokens, stop: [] },
  };
  for (const step of STEPS) step(c);
  if (plan.errors.length > 0) return plan;
  plan.request = buildStep(c);
  return plan;
}
