// A trial run live: under a cancellable progress notification ("3/12 examples · $0.004 so far", also in the status
// bar), a few requests at a time through core's runner; Cancel (the notification's, or lengthwise.cancel) keeps
// every finished example. The trial's record follows each example as it ends.
import * as vscode from 'vscode';
import { runTrialLive } from '../../core/generation/trial/run';
import type { TrialRecord } from '../../core/generation/trial/record';
import type { SessionTotals } from '../../core/generation/sessionTotals';
import type { Ledger } from '../../core/ledger/ledger';
import { formatUsd, priceFor } from '../../core/pricing/cost';
import { tierPricer } from '../../core/pricing/serviceTier';
import { createAdapter } from '../../providers';
import { logError } from '../logError';
import type { Pass } from '../door/door';
import type { SendController } from '../send/controller';
import type { RunEvents } from '../send/events';
import type { Prepared } from './prepare';
import type { TrialStore } from './store';

export interface LiveDeps {
  controller: SendController;
  ledger: () => Promise<Ledger>;
  events: RunEvents;
  session: SessionTotals;
  store: TrialStore;
  workspaceId: string;
  log: vscode.LogOutputChannel;
}

/** Sends `p`'s requests, the k-th for example `indexes[k]` of trial `t` (all of them, or the cut ones again); updates `t`. */
export async function runLive(d: LiveDeps, p: Prepared, pass: Pass, t: TrialRecord, indexes: readonly number[]): Promise<void> {
  const ledger = await d.ledger().catch((e) => {
    logError(d.log, 'ledger unavailable', e);
    return undefined;
  });
  const price = priceFor(p.s);
  const priceOf = tierPricer(p.s);
  const title = vscode.l10n.t('Lengthwise: trying {0} on {1} examples', t.preset || vscode.l10n.t('the settings'), indexes.length);
  try {
    const run = await d.controller.tracked(async (signal) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        if (signal.aborted) ac.abort();
        else signal.addEventListener('abort', () => ac.abort(), { once: true });
        return runTrialLive({
          jobId: t.id,
          requests: indexes.map((example, k) => ({ example, planned: p.planned[k]! })),
          deps: { adapter: createAdapter(p.s.provider), apiKey: pass.key, tokenizer: p.tokenizer, tokenizerExact: p.tokenizerExact, price, priceSource: price?.source, priceOf, ledger, workspace: d.workspaceId, preset: p.preset || undefined },
          signal: ac.signal,
          onProgress: (x) => {
            const message = vscode.l10n.t('{0}/{1} examples · {2} so far', x.done, x.total, formatUsd(x.costUsd));
            progress.report({ message, increment: 100 / Math.max(1, x.total) });
            d.events.fire('jobProgress', { runId: t.id, text: message });
          },
          // Each request counts in the session's spend as it ends (an unknown price as unknown, never $0).
          onRequest: (r) => d.session.add(1, r.costUsd, r.costSource),
          onExample: (example, attempt, text) => {
            t.examples[example]!.attempts.push(attempt);
            d.store.setAnswer(t.id, example, text);
            void d.store.put(t, false);
          },
        });
      }),
    );
    t.state = run.cancelled ? 'cancelled' : 'done';
    d.log.info(`try preset ${t.id}: ${run.requests} requests, ${formatUsd(run.costUsd)}${run.cancelled ? ', cancelled' : ''}`);
  } finally {
    if (t.state === 'running') t.state = 'cancelled';
    d.events.fire('jobProgress', { runId: t.id });
    await d.store.put(t);
    pass.hold.settle();
  }
}
