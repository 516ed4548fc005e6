// Step "budget fit": with a "block" budget whose rest cannot take the worst case (the door offers the rest as
// PlanInput.budgetRoomUsd), max tokens is lowered to what the rest buys after the input — said in a note — as long
// as a useful answer fits (MIN_USEFUL_OUTPUT tokens after the input and any thinking budget); below that the plan
// says why, and the door refuses.
import { fitCapToBudget } from '../../pricing/budgetFit';
import { tierPrice } from '../../pricing/serviceTier';
import { decideLengthHint } from '../lengthHint';
import { hintTokens } from './build';
import type { PlanContext } from './context';

export function budgetFitStep(c: PlanContext): void {
  const room = c.input.budgetRoomUsd;
  const { s, draft, plan } = c;
  if (room === undefined || c.limitsFailed || plan.errors.length) return;
  // An unknown price is the budget's own rule (refused under "block"), not something a lower cap can fix.
  const price = tierPrice(s, draft.serviceTier ?? 'standard');
  if (!price) return;
  const hint = decideLengthHint(s.lengthHint, { maxTokens: draft.maxTokens, thinkingBudget: draft.thinkingBudget, system: s.systemPrompt });
  const input = c.input.inputTokens + (hint.sent ? hintTokens(c, hint.text) : 0);
  const fit = fitCapToBudget(price, input, draft.maxTokens, room, draft.thinkingBudget ?? 0);
  if (fit.fits) return;
  if ('short' in fit) {
    plan.budgetShort = fit.short;
    return;
  }
  plan.notes.push(fit.note);
  plan.budgetCapped = { from: draft.maxTokens, to: fit.maxTokens, roomUsd: room };
  draft.maxTokens = fit.maxTokens;
}
