// The dashboard's sentences about money: the summary paragraph and the spend chart's text. A sum of costs nobody
// knows is "unknown", never "$0.00"; a sum with unknown parts says how many were left out (core/pricing/money.ts).
import type { UsageTotals } from '../ledger/totals';
import { allCostsUnknown, formatUsd } from '../pricing/money';
import { plural } from '../protocol/plural';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The known cost of `t`, the requests left out, or "cost unknown" when nothing in it has a known price. */
function costPhrase(t: Pick<UsageTotals, 'requests' | 'knownCostUsd' | 'unknownCostRequests'>): string {
  if (allCostsUnknown(t)) return 'cost unknown — no price is known for any of them (never counted as $0)';
  const known = `${formatUsd(t.knownCostUsd)} known cost`;
  return t.unknownCostRequests ? `${known} + ${plural(t.unknownCostRequests, 'request')} with unknown price (not counted as $0)` : known;
}

/** The batch requests' part: their cost at batch prices, with the unknown ones named. */
function batchPhrase(t: UsageTotals): string {
  if (!t.batchRequests) return '';
  const n = plural(t.batchRequests, 'batch request');
  if (allCostsUnknown({ requests: t.batchRequests, unknownCostRequests: t.batchUnknownCostRequests, knownCostUsd: t.batchCostUsd })) return `; ${n} at batch prices: cost unknown (no price known)`;
  const unknown = t.batchUnknownCostRequests ? ` + ${t.batchUnknownCostRequests} with unknown price` : '';
  return `; ${n} cost ${formatUsd(t.batchCostUsd)}${unknown} at batch prices`;
}

/** With flex or priority requests: the requests by the tier that served them. */
function tierPhrase(t: UsageTotals): string {
  if (!t.tiers.flex.requests && !t.tiers.priority.requests) return '';
  const parts = (['standard', 'flex', 'priority', 'unknown'] as const).filter((k) => t.tiers[k].requests).map((k) => `${k === 'unknown' ? 'tier not said' : k} ${int(t.tiers[k].requests)}`);
  return `; ${parts.join(' · ')} by the tier that served them`;
}

/**
 * The summary's part after "N requests in <range>, <where>: " — what they cost (at batch prices too), their tokens
 * and where the usage came from. The page adds the count and the place (it knows the workspace's label).
 */
export function costsText(t: UsageTotals): string {
  return (
    costPhrase(t) +
    (t.jobs ? ` (${plural(t.jobRequests, 'request')} of ${plural(t.jobs, 'job')}: ${plural(t.requests - t.jobRequests + t.jobs, 'send')})` : '') +
    batchPhrase(t) +
    tierPhrase(t) +
    (t.cacheSavedUsd > 0 ? `; the prompt cache saved ${formatUsd(t.cacheSavedUsd)}` : '') +
    `; ${int(t.inputTokens)} input and ${int(t.outputTokens)} output tokens; ` +
    `usage reported by the provider for ${t.requests - t.estimatedRequests}, estimated for ${t.estimatedRequests}.`
  );
}

/** The text of the spend-per-day chart (also what a screen reader gets). */
export function spendSummary(d: { totals: UsageTotals; days: readonly { day: string; knownCostUsd: number; unknownCostRequests: number }[]; firstDay: string | null; lastDay: string }): string {
  const t = d.totals;
  const unknownDays = d.days.filter((x) => x.unknownCostRequests > 0).length;
  const marks = unknownDays ? `; “?” marks ${plural(unknownDays, 'day')} with requests of unknown price` : '';
  if (allCostsUnknown(t)) return `Spend per day from ${d.firstDay} to ${d.lastDay}: no known spend — no request in this view has a known price${marks}.`;
  let busiest = d.days[0];
  for (const x of d.days) if (x.knownCostUsd > busiest.knownCostUsd) busiest = x;
  const most = busiest && busiest.knownCostUsd > 0 ? `, most on ${busiest.day} (${formatUsd(busiest.knownCostUsd)})` : '';
  return `Known spend per day from ${d.firstDay} to ${d.lastDay}, stacked by model: ${formatUsd(t.knownCostUsd)} in total${most}${marks}.`;
}
