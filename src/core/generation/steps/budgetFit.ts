// Step "budget fit": with a "block" budget whose rest cannot take the worst case (the door offers the rest as
// PlanInput.budgetRoomUsd), max tokens is lowered to what the rest buys after the input — said in a note — as long
// as a useful answer fits (MIN_USEFUL_OUTPUT tokens after the input and any thinking budget); below that the plan
// says why, and the door refuses.
import { affordableOutput, MIN_USEFUL_OUTPUT } from '../../pricing/budgetFit';
import { formatUsd } from '../../pricing/money';
import { tierPrice } from '../../pricing/serviceTier';
import { worstCaseCost } from '../../pricing/cost';
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
  if ((worstCaseCost(input, draft.maxTokens, price) ?? 0) <= room) return;
  const buys = Math.min(draft.maxTokens, affordableOutput(price, input, room));
  const thinking = draft.thinkingBudget ?? 0;
  const useful = thinking + MIN_USEFUL_OUTPUT;
  if (buys < useful) {
    const after = thinking ? ` after the input and the thinking budget (${thinking})` : ' after the input';
    plan.budgetShort = `The rest of the workspace budget (${formatUsd(room)}) buys ${buys} output tokens${after}, fewer than the ${MIN_USEFUL_OUTPUT} of a useful answer.`;
    return;
  }
  plan.notes.push(
    `max tokens ${draft.maxTokens} → ${buys}: the workspace budget has ${formatUsd(room)} left (lengthwise.budget.action "block"), which buys ${buys} output tokens after the input — the answer may be cut there.`,
  );
  plan.budgetCapped = { from: draft.maxTokens, to: buys, roomUsd: room };
  draft.maxTokens = buys;
}
