// The Lengthwise output channel follows every run: each request as sent, each round's result, the end.
import { logError } from './logError';
import type * as vscode from 'vscode';
import type { RoundResult } from '../core/generation/pipeline';
import type { GenerationRequest } from '../core/protocol/request';
import { providerLabel } from '../core/providers';
import type { RunEvents, RunFinished } from './send/events';
import { plural } from '../core/protocol/plural';

export function logRuns(events: RunEvents, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    events.on('request', (e) => log.info(requestLine(e.request, e.round))),
    events.on('retry', (e) => {
      const r = e.retry;
      log.warn(`${providerLabel(e.provider)} answered ${r.status}; the SDK retries in ${r.waitSeconds.toFixed(1)} s (attempt ${r.attempt})`);
    }),
    events.on('round', (e) => {
      log.info(resultLine(e.result));
      // A refused or differing reported cost, with both figures.
      for (const n of e.result.costNotes) log.warn(n);
    }),
    events.on('finished', (e) => {
      log.info(finishedLine(e));
      for (const n of e.notes) log.info(n);
    }),
    events.on('failed', (e) => logError(log, 'the request failed', e.error)),
  ];
}

function requestLine(r: GenerationRequest, round: number): string {
  return (
    `request round ${round}: ${r.provider}/${r.model}${r.baseUrl ? ` @ ${r.baseUrl}` : ''}${r.api === 'responses' ? ' · Responses API' : ''} · max tokens ${r.maxTokens}${r.api === 'responses' ? ' (max_output_tokens)' : r.reasoningModel ? ' (max_completion_tokens)' : ''} · stop ${JSON.stringify(r.stop)}` +
    `${r.verbosity ? ` · verbosity ${r.verbosity}` : ''}` +
    `${r.temperature !== undefined ? ` · temperature ${r.temperature}` : ''}${r.topP !== undefined ? ` · top_p ${r.topP}` : ''}${r.thinkingBudget !== undefined ? ` · thinking ${r.thinkingBudget}` : ''} · ${plural(r.messages.length, 'message')}` +
    (r.lengthHint ? ` · length hint ${JSON.stringify(r.lengthHint)}` : '')
  );
}

function resultLine(r: RoundResult): string {
  return `round result: ${r.finish.raw}, ${r.text.length} chars, usage in ${r.usage.inputTokens} out ${r.usage.outputTokens} (${r.usageSource}), cost ${r.costUsd === null ? 'unknown' : `${r.costUsd.toFixed(6)} (${r.costSource})`}${r.error ? `, error ${r.error.kind}: ${r.error.message}` : ''}`;
}

function finishedLine(e: RunFinished): string {
  const { chain } = e;
  const f = chain.finish;
  const req = chain.lastRequest;
  return (
    `finished ${req.provider}/${req.model}: ${f.raw} (${f.reason}${f.truncated ? ', truncated' : ''}), rounds ${chain.rounds}, ` +
    `usage in ${chain.usage.inputTokens} out ${chain.usage.outputTokens} (${chain.usageSource}), cost ${chain.costUsd === null ? 'unknown' : `${chain.costUsd.toFixed(6)} (${chain.costSource ?? 'source unknown'})`}`
  );
}
