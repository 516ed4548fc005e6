// Step "tier": the processing tier asked for (lengthwise.serviceTier), sent where the provider sells it for the
// model, left out with a note where it does not (as with verbosity); a tier without a known price says so before
// anything is sent.
import { tierPrice } from '../../pricing/serviceTier';
import { tierDecision } from '../../providers/tiers';
import { settingLabel } from '../../settings/settings';
import type { PlanContext } from './context';

export function tierStep(c: PlanContext): void {
  const { s, plan } = c;
  const asked = s.serviceTier;
  if (asked === 'standard') return;
  const label = settingLabel('serviceTier', c.sources.serviceTier);
  const d = tierDecision(s.provider, s.model, asked);
  if (!d.send) {
    plan.notes.push(`${label} "${asked}" not sent: ${d.why} — the request goes at the standard tier.`);
    return;
  }
  c.draft.serviceTier = d.send;
  if (!tierPrice(s, d.send)) {
    plan.notes.push(
      `no ${d.send} price is known for "${s.model}": if it is served at ${d.send}, its cost shows as price unknown (never $0) — ` +
        `add its rates to lengthwise.pricing, e.g. {"${s.model}": {"${d.send}": {"input": 2.5, "output": 20}}} (USD per million tokens).`,
    );
  }
}
