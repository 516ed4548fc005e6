// A trial before anything is sent, with Send's steps in Send's order: the effective settings of the preset (and a
// model or cap the trial changes), every example counted and planned, then the door (the key, the endpoint question,
// the job rule's plan, the budget hold of the worst case). Each refusal is told and thrown as a RefusedError.
import * as vscode from 'vscode';
import { multipliedOf, type MultipliedRequest } from '../../core/generation/jobs/consent';
import { planExamples, type PlannedExample, type TrialExample } from '../../core/generation/trial/plan';
import type { TrialMode } from '../../core/generation/trial/record';
import { batchPrice } from '../../core/pricing/batch';
import { priceFor, type ModelPrice } from '../../core/pricing/cost';
import { tierPricer } from '../../core/pricing/serviceTier';
import { providerLabel } from '../../core/providers';
import type { LengthwiseSettings, ResolvedSettings } from '../../core/settings/settings';
import type { Tokenizer } from '../../core/tokens/tokens';
import { batchClient } from '../../providers/batch';
import { endpointScope, type EndpointScope } from '../config/configuration';
import type { Door, Pass } from '../door/door';
import type { SendController } from '../send/controller';
import type { InputCount, Preflight } from '../send/preflight';
import { refused as refuse } from './tell';

export interface PrepareDeps {
  preflight: Preflight;
  door: Door;
  /** The limits the endpoint reports of its model (a server's, VS Code's model's), as a Send asks for them. */
  controller: SendController;
  log: vscode.LogOutputChannel;
}

/** What the trial changes in the preset's settings: another model (a comparison), a higher cap (a run again). */
export interface TrialChange {
  model?: string;
  maxTokens?: number;
}

export interface Prepared {
  s: LengthwiseSettings;
  resolved: ResolvedSettings;
  scope: EndpointScope;
  /** The preset's name; '' = none. */
  preset: string;
  change: TrialChange;
  examples: TrialExample[];
  planned: PlannedExample[];
  tokenizer: Tokenizer | undefined;
  tokenizerExact: boolean;
}

/** The settings, the counts and the plans of `examples` under `preset` (undefined: the active one; '': none). */
export async function prepare(d: PrepareDeps, examples: TrialExample[], preset: string | undefined, change: TrialChange): Promise<Prepared> {
  const overrides: Record<string, unknown> = {};
  if (change.model !== undefined) overrides.model = change.model;
  if (change.maxTokens !== undefined) overrides.maxTokens = change.maxTokens;
  const { cfg, resolved, s } = await d.preflight.settings(vscode.window.activeTextEditor, { preset, overrides: Object.keys(overrides).length ? overrides : undefined });
  // Each example counted as Send counts its input (the session's counter: big ones off this thread).
  const counted: InputCount[] = [];
  for (const ex of examples) counted.push(await d.preflight.countInput(s, [{ role: 'user', content: ex.text }]));
  const exact = counted.every((c) => c.exact);
  const plan = planExamples({ settings: s, sources: resolved.sources, examples: examples.map((e, i) => ({ ...e, inputTokens: counted[i]!.tokens })), exact });
  if ('error' in plan) throw refuse(plan.error);
  for (const n of plan.notes) d.log.info(`try preset: ${n}`);
  return {
    s,
    resolved,
    scope: endpointScope(cfg, resolved.sources.baseUrl),
    preset: resolved.presetName ?? '',
    change,
    examples,
    planned: plan.planned,
    tokenizer: counted[0]?.tokenizer,
    tokenizerExact: counted[0]?.tokenizerExact ?? false,
  };
}


/**
 * The price a trial's worst case is planned at: live, the tier its requests ask for (lengthwise.serviceTier, where
 * the plan sends it); in a batch, the batch price (where the provider has a batch API, else refused).
 */
export function trialPrice(p: Prepared, mode: TrialMode): ModelPrice | undefined {
  if (mode === 'live') return tierPricer(p.s)(p.planned[0]?.request.serviceTier ?? 'standard');
  const price = priceFor(p.s);
  if (!batchClient(p.s.provider)) {
    throw refuse(vscode.l10n.t('{0} has no batch API Lengthwise can use: try the preset live, or with OpenAI, Anthropic or Gemini. Nothing was sent.', providerLabel(p.s.provider)));
  }
  return batchPrice(price, p.s.provider);
}

/** The plan as the job rule sees it, live and (where there is a batch API) as a batch. */
export function plans(p: Prepared): { live: MultipliedRequest; batch: MultipliedRequest | undefined } {
  const live = multipliedOf('Try Preset', p.planned, trialPrice(p, 'live'));
  const batch = batchClient(p.s.provider) ? multipliedOf('Try Preset (batch)', p.planned, batchPrice(priceFor(p.s), p.s.provider)) : undefined;
  return { live, batch };
}

/**
 * Through the door: the key, the endpoint question, the plan question when the job rule asks for it (unless the
 * plan was just shown), the budget hold. A live trial is planned again with the limits its endpoint reports (an
 * OpenAI-compatible server's, VS Code's model's), as a Send is, once the endpoint is approved.
 */
export async function authorize(d: PrepareDeps, p: Prepared, mode: TrialMode, askedUser: boolean): Promise<Pass> {
  const price = trialPrice(p, mode);
  const what = mode === 'batch' ? 'Try Preset (batch)' : 'Try Preset';
  return d.door.authorize({
    settings: p.s,
    scope: p.scope,
    key: 'required',
    plan: { ...multipliedOf(what, p.planned, price), askedUser },
    worstUsd: async (key) => {
      if (mode === 'live') {
        const discovered = await d.controller.limitsOf(p.s, key);
        if (discovered) {
          const again = planExamples({ settings: p.s, sources: p.resolved.sources, examples: p.examples.map((e, i) => ({ ...e, inputTokens: p.planned[i]!.inputTokens })), exact: p.planned.every((x) => x.inputExact), discovered });
          if ('error' in again) throw refuse(again.error);
          p.planned = again.planned;
        }
      }
      return multipliedOf(what, p.planned, price).worstUsd;
    },
  });
}
