// The plan of a trial: every example planned, validated and clamped as a Send of it would be (its own prompt, the
// preset's system prompt and cap). The door's job rule sees the result through multipliedOf (generation/jobs/consent.ts).
import type { DiscoveredLimits } from '../../models/discovery';
import type { GenerationRequest } from '../../protocol/request';
import type { LengthwiseSettings, SettingSources } from '../../settings/settings';
import { MAX_JOB_REQUESTS, tooManyRequests } from '../jobs/consent';
import { planRequest } from '../plan';

export interface TrialExample {
  /** As the report names it: a workspace-relative path, or "selection 2 (notes.md:14)". */
  name: string;
  uri?: string;
  text: string;
}

export interface PlannedExample {
  request: GenerationRequest;
  inputTokens: number;
  inputExact: boolean;
}

export interface TrialPlanInput {
  settings: LengthwiseSettings;
  sources?: SettingSources;
  /** Each with its input tokens counted as a Send counts them (system prompt, prompt, chat framing). */
  examples: readonly (TrialExample & { inputTokens: number })[];
  /** The counts are the model's own tokenizer's. */
  exact: boolean;
  discovered?: DiscoveredLimits;
}

/**
 * Each example planned as its own request, or the refusal naming the first example that cannot be sent (and why)
 * or the cap on requests: nothing is sent unless every example can be. `notes`: what planning adjusted, once each.
 */
export function planExamples(i: TrialPlanInput): { planned: PlannedExample[]; notes: string[] } | { error: string } {
  if (i.examples.length > MAX_JOB_REQUESTS) return { error: tooManyRequests(i.examples.length, 'Try fewer examples at a time.') };
  const planned: PlannedExample[] = [];
  const notes = new Set<string>();
  for (const ex of i.examples) {
    const { inputTokens } = ex;
    const plan = planRequest({ settings: i.settings, sources: i.sources, prompt: ex.text, inputTokens, inputTokensExact: i.exact, discovered: i.discovered });
    if (!plan.request) return { error: `${ex.name}: ${plan.errors.map((e) => e.message).join(' ') || 'the request could not be built'} Nothing was sent.` };
    for (const n of plan.notes) notes.add(n);
    planned.push({ request: plan.request, inputTokens, inputExact: i.exact });
  }
  return { planned, notes: [...notes] };
}
