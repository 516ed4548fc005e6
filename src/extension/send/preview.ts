// The API's preview(): the current selection (or line) and settings planned as Send would plan them, without a key,
// a hold or a request. The input counts everything that would be sent (system prompt, length hint, chat framing),
// max tokens is what would go over the wire (clamped, and fitted to a "block" budget's rest), and the expected cost
// comes from this workspace's answers (core/views/expected.ts).
import * as vscode from 'vscode';
import { RefusedError } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import type { BudgetGuard } from '../../core/pricing/budget';
import { worstCaseCost } from '../../core/pricing/cost';
import { tierPricer } from '../../core/pricing/serviceTier';
import { profileOf } from '../../core/providers';
import { expectedCost } from '../../core/views/expected';
import type { LimitDiscovery } from '../../providers/discovery';
import { jobRoom } from './job';
import { readPrompt, type Preflight, type SendOptions } from './preflight';

export interface Preview {
  inputTokens: number;
  maxTokens: number;
  worstUsd: number | null;
  expected: { usd: number; p95Usd: number; basis: number } | null;
}

export interface PreviewDeps {
  preflight: Preflight;
  ledger: () => Promise<Ledger>;
  budget: BudgetGuard;
  workspaceId: string;
  discovery: LimitDiscovery;
}

export async function preview(d: PreviewDeps, opts: SendOptions = {}): Promise<Preview> {
  const { editor, prompt } = readPrompt(opts);
  const { resolved, s } = await d.preflight.settings(editor, opts);
  const messages = [{ role: 'user' as const, content: prompt }];
  const counted = await d.preflight.countInput(s, messages);
  if (jobRoom(s, counted)) {
    throw new RefusedError(vscode.l10n.t('The selection ({0} tokens) is larger than one request takes: Send would offer to split it. preview() plans one request.', counted.tokens), 'invalid');
  }
  const ledger = await d.ledger().catch(() => undefined);
  const spent = ledger?.totals({ workspace: d.workspaceId }).budgetUsd ?? 0;
  const budgetRoomUsd = s['budget.usd'] !== null ? d.budget.room({ usd: s['budget.usd'], action: s['budget.action'] }, spent) : undefined;
  // Limits a compatible server already reported this session: a preview asks no server anything.
  const discovered = profileOf(s.provider).serverLimits && s.baseUrl ? d.discovery.known(s.baseUrl, s.model) : undefined;
  // Planned exactly as Send plans it (the same count, the same budget rest), so max tokens is what Send would send.
  const plan = d.preflight.plan(s, prompt, counted, resolved, { quiet: true, discovered, budgetRoomUsd });
  let inputTokens = counted.tokens;
  if (plan.request.lengthHint !== undefined && plan.request.system !== undefined) {
    // The length hint is part of the system prompt that goes: the input is counted again with it, as it is sent.
    inputTokens = (await d.preflight.countInput({ ...s, systemPrompt: plan.request.system }, messages)).tokens;
  }
  if (plan.budgetShort) throw new RefusedError(plan.budgetShort, 'budget');
  const price = tierPricer(s)(plan.request.serviceTier ?? 'standard');
  const maxTokens = plan.request.maxTokens;
  const expected = ledger ? expectedCost(ledger.records(), { workspace: d.workspaceId, provider: s.provider, model: s.model, preset: resolved.presetName, inputTokens, maxTokens, price }) : null;
  return {
    inputTokens,
    maxTokens,
    worstUsd: worstCaseCost(inputTokens, maxTokens, price),
    expected: expected && { usd: expected.usd, p95Usd: expected.p95Usd, basis: expected.basis },
  };
}
