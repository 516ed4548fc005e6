// Send for an input larger than one request can take: split it (core), offer the plans with their requests, input
// tokens and worst-case cost, then run the chosen one live under a cancellable progress notification. Chunk answers
// land in part order with a visible separator; summarize-first streams the final answer and keeps the summaries
// in the Lengthwise output.
import * as vscode from 'vscode';
import { fitJob, inputRoom, requestsThatFit, type InputRoom, type JobStrategy } from '../../core/generation/jobs/jobPlan';
import { JOB_FRAMING, NoRoomForInput, planJobChoices, type JobChoice } from '../../core/generation/jobs/choices';
import { MIN_USEFUL_OUTPUT } from '../../core/pricing/budgetFit';
import type { BudgetFit } from '../../core/pricing/budget';
import { tierPricer } from '../../core/pricing/serviceTier';
import { runLiveJob, type LiveJobResult } from '../../core/generation/jobs/liveJob';
import { separatorBefore } from '../../core/generation/jobs/runJob';
import { isBlockStructuredCode, TooManyParts } from '../../core/generation/jobs/split';
import { tooManyRequests, type MultipliedRequest } from '../../core/generation/jobs/consent';
import { RefusedError, type ResultSummary } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import { findModel } from '../../core/models/models';
import { formatUsd, priceFor, worstCaseCost } from '../../core/pricing/cost';
import type { LengthwiseSettings } from '../../core/settings/settings';
import { createAdapter } from '../../providers';
import type { InputCount } from './preflight';
import type { AnchoredInserter } from '../editorStream';
import { recordId } from './ids';

/** The room of one request when the input does not fit it, else undefined (a plain Send). */
export function jobRoom(s: LengthwiseSettings, counted: InputCount): InputRoom | undefined {
  if (s['chunking.strategy'] === 'off') return undefined;
  const room = inputRoom(findModel(s.provider, s.model, s.models), s.maxTokens, counted.exact, s['chunking.maxInputTokens']);
  return room && counted.tokens + JOB_FRAMING > room.tokens ? room : undefined;
}

/**
 * Splits the prompt and plans both strategies (core/generation/jobs/choices.ts). The selection's count from the
 * counting worker is passed on when exact, and long texts are counted there (`countAsync`), so the split does not
 * stall this thread counting megabytes (issue 28: 273-300 ms for 5 MB).
 */
export async function planChoices(
  s: LengthwiseSettings,
  prompt: string,
  counted: InputCount,
  room: InputRoom,
  languageId: string | undefined,
  countAsync?: (text: string) => Promise<number | undefined>,
): Promise<Record<JobStrategy, JobChoice>> {
  const tok = counted.tokenizer;
  if (!tok) throw new RefusedError(vscode.l10n.t('The tokenizer did not load, so the input cannot be split exactly. Nothing was sent.'), 'invalid');
  try {
    const promptTokens = counted.exact && counted.tokenizerExact && counted.messageTokens !== undefined ? counted.messageTokens : undefined;
    return await planJobChoices({ settings: s, prompt, count: (t) => tok.count(t), promptTokens, countAsync, room, code: isBlockStructuredCode(languageId) });
  } catch (e) {
    if (e instanceof NoRoomForInput) throw new RefusedError(vscode.l10n.t('The system prompt leaves {0} tokens of {1} for the input: shorten lengthwise.systemPrompt or raise the limit. Nothing was sent.', e.partMax, e.room.limitedBy), 'invalid');
    if (!(e instanceof TooManyParts)) throw e;
    const msg = tooManyRequests(e.parts, vscode.l10n.t('Send a smaller selection, raise lengthwise.chunking.maxInputTokens or lower lengthwise.chunking.overlapTokens ({0} now).', s['chunking.overlapTokens']));
    void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', msg));
    throw new RefusedError(msg, 'invalid');
  }
}

/** The job as the door's job rule sees it, next to one ordinary request of the same settings (a part filling the room). */
export function multiplied(c: JobChoice, room: InputRoom, s: LengthwiseSettings): MultipliedRequest {
  const price = priceFor(s);
  return {
    what: c.strategy === 'chunks' ? 'Send in chunks' : 'Send, summarizing first',
    requests: c.plan.requests.length,
    inputTokens: c.plan.inputTokens,
    worstTokens: c.plan.inputTokens + c.plan.maxOutputTokens,
    worstUsd: c.plan.worstCaseUsd,
    oneWorstTokens: room.tokens + room.maxTokens,
    oneWorstUsd: worstCaseCost(room.tokens, room.maxTokens, price),
  };
}

/** A "block" budget's rest against the plan: how many of its requests fit at the full cap, and the cap at which all do. */
function fitText(c: JobChoice, roomUsd: number | undefined): string {
  const p = c.plan;
  if (roomUsd === undefined || p.worstCaseUsd === null || p.worstCaseUsd <= roomUsd) return '';
  const n = requestsThatFit(p, roomUsd);
  const fitted = fitJob(c.input, roomUsd, MIN_USEFUL_OUTPUT);
  const all = 'short' in fitted ? vscode.l10n.t('no lower cap fits them all') : vscode.l10n.t('all fit at max tokens {0}', fitted.maxTokens);
  return vscode.l10n.t('; the budget has {0} left: {1} of {2} requests fit at max tokens {3}, {4}', formatUsd(roomUsd), n, p.requests.length, c.maxTokens, all);
}

function describe(c: JobChoice, roomUsd?: number): string {
  const p = c.plan;
  return vscode.l10n.t('{0} requests, {1} input tokens, worst case {2}', p.requests.length, p.inputTokens.toLocaleString('en-US'), formatUsd(p.worstCaseUsd)) + fitText(c, roomUsd);
}

/** The door's fit for a job: the answer cap lowered until the whole plan's worst case fits the budget's rest. */
export function jobFit(c: JobChoice, onFitted: (fitted: JobChoice) => void): (roomUsd: number) => BudgetFit {
  return (roomUsd) => {
    const f = fitJob(c.input, roomUsd, MIN_USEFUL_OUTPUT);
    if ('short' in f) return { short: f.short };
    const budgetNote = f.maxTokens < c.maxTokens ? `max tokens per answer ${c.maxTokens} → ${f.maxTokens}: the workspace budget has ${formatUsd(roomUsd)} left (lengthwise.budget.action "block"), which buys the whole plan at that cap (${requestsThatFit(c.plan, roomUsd)} of ${c.plan.requests.length} requests fit at ${c.maxTokens}).` : undefined;
    onFitted({ ...c, plan: f.plan, maxTokens: f.maxTokens, input: { ...c.input, maxTokens: f.maxTokens }, ...(budgetNote ? { budgetNote } : {}) });
    return { worstUsd: f.plan.worstCaseUsd ?? Number.POSITIVE_INFINITY };
  };
}

/** The user's choice (lengthwise.chunking.strategy, or asked when it is "ask"); undefined = cancelled. */
export async function chooseStrategy(s: LengthwiseSettings, inputTokens: number, room: InputRoom, choices: Record<JobStrategy, JobChoice>, budgetRoomUsd?: number): Promise<JobChoice | undefined> {
  const set = s['chunking.strategy'];
  if (set === 'chunks') return choices.chunks;
  if (set === 'summarizeFirst') {
    if (!choices.summarizeFirst) throw new RefusedError(vscode.l10n.t('Summarize-first cannot fit: lower lengthwise.chunking.summaryTokens or use chunks. Nothing was sent.'), 'invalid');
    return choices.summarizeFirst;
  }
  const chunkItem = vscode.l10n.t('Process in {0} chunks', choices.chunks.parts.length);
  const sumItem = vscode.l10n.t('Summarize first, then answer');
  const detail =
    vscode.l10n.t('The input is {0} tokens, more than one request takes ({1}: {2}).', inputTokens.toLocaleString('en-US'), room.tokens.toLocaleString('en-US'), room.limitedBy) + '\n\n' +
    vscode.l10n.t('{0}: {1} (answers joined in order).', chunkItem, describe(choices.chunks, budgetRoomUsd)) + '\n' +
    (choices.summarizeFirst ? vscode.l10n.t('{0}: {1} (worst case; summaries are usually shorter).', sumItem, describe(choices.summarizeFirst, budgetRoomUsd)) : vscode.l10n.t('{0}: not possible with lengthwise.chunking.summaryTokens = {1}.', sumItem, s['chunking.summaryTokens']));
  const items = choices.summarizeFirst ? [chunkItem, sumItem] : [chunkItem];
  const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: the selection is larger than one request'), { modal: true, detail }, ...items);
  if (pick === chunkItem) return choices.chunks;
  if (pick === sumItem) return choices.summarizeFirst;
  return undefined;
}

export interface JobRunDeps {
  settings: LengthwiseSettings;
  apiKey: string;
  counted: InputCount;
  room: InputRoom;
  inserter: AnchoredInserter;
  ledger: Ledger | undefined;
  workspaceId: string;
  presetName?: string;
  log: vscode.LogOutputChannel;
  signal: AbortSignal;
  /** The progress message, for the status bar too. */
  onProgress?(text: string): void;
}

/** Runs the chosen plan under a progress notification ("chunk 7/12 · $0.031 so far", with Cancel). */
export async function runChoice(choice: JobChoice, d: JobRunDeps): Promise<ResultSummary> {
  // A plan fitted to a "block" budget answers at its lowered cap.
  const s = choice.maxTokens < d.settings.maxTokens ? { ...d.settings, maxTokens: choice.maxTokens } : d.settings;
  const jobId = recordId('job');
  const tok = d.counted.tokenizer!;
  const price = priceFor(s);
  const total = choice.parts.length;
  const res: LiveJobResult = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Lengthwise: {0} — {1}', s.model, choice.strategy === 'chunks' ? vscode.l10n.t('{0} chunks', total) : vscode.l10n.t('summarize first')), cancellable: true },
    (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      d.signal.addEventListener('abort', () => ac.abort(), { once: true });
      return runLiveJob({
        strategy: choice.strategy,
        jobId,
        parts: choice.parts,
        settings: s,
        count: (t) => tok.count(t),
        countExact: d.counted.exact,
        maxInputTokens: d.room.tokens,
        signal: ac.signal,
        deps: { adapter: createAdapter(s.provider), apiKey: d.apiKey, tokenizer: tok, tokenizerExact: d.counted.exact, price, priceSource: price?.source, priceOf: tierPricer(s), ledger: d.ledger, workspace: d.workspaceId, preset: d.presetName },
        onProgress: (p) => {
          const message = vscode.l10n.t('{0} · {1} so far', p.stage, formatUsd(p.costUsd));
          progress.report({ message });
          d.onProgress?.(message);
        },
        onAnswer: (r) => {
          d.inserter.write(separatorBefore(r.index, total) + r.text + (r.error ? `\n[part ${r.index + 1}: ${r.error.message}]` : r.finish.truncated ? `\n[part ${r.index + 1} was cut at max tokens]` : ''));
        },
        onFinalText: (delta) => d.inserter.write(delta),
      });
    },
  );
  await d.inserter.flush();
  d.inserter.dispose();
  if (choice.strategy === 'summarizeFirst') {
    res.summaries.forEach((lv) => lv.texts.forEach((t, i) => d.log.info(`job ${jobId} summary level ${lv.level} #${i + 1}:\n${t ?? '(failed)'}`)));
  }
  const answers = res.answers.filter((a) => a !== undefined);
  const last = answers.at(-1);
  const notes = [`job ${jobId}: ${res.requests} requests, ${formatUsd(res.costUsd)} (planned worst case ${formatUsd(choice.plan.worstCaseUsd)})`];
  if (choice.budgetNote) notes.unshift(choice.budgetNote);
  for (const f of res.failed) notes.push(`${f.stage} ${f.index + 1} failed: ${f.error.message}`);
  if (res.error) notes.push(res.error);
  const summary: ResultSummary = {
    provider: s.provider,
    model: s.model,
    text: choice.strategy === 'chunks' ? answers.map((a) => a.text).join('') : (last?.text ?? ''),
    finish: res.cancelled ? { raw: 'cancelled', reason: 'cancelled', truncated: false } : last ? { ...last.finish } : { raw: 'error', reason: 'error', truncated: false },
    usage: { ...res.usage, source: 'provider' },
    costUsd: res.costUsd,
    costSource: res.costUsd === null ? null : res.costSource,
    sent: { maxTokens: Math.min(d.room.maxTokens, choice.maxTokens), stop: [...s.stopSequences] },
    rounds: res.requests,
    job: { id: jobId, parts: total, strategy: choice.strategy },
    notes,
  };
  if (d.presetName) summary.preset = d.presetName;
  d.log.info(notes.join('; '));
  return summary;
}
