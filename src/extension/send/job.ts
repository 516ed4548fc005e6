// Send for an input larger than one request can take: split it (core), offer the plans with their requests, input
// tokens and worst-case cost. The parts are sized by the tokenizer that will read them: the server's own where it
// has one (core/generation/jobs/fitParts.ts), else the local count (with a stated margin for a tokenizer Lengthwise
// cannot see). Running the chosen plan is jobRun.ts.
import * as vscode from 'vscode';
import { fitJob, requestsThatFit, type InputRoom, type JobPlan, type JobStrategy } from '../../core/generation/jobs/jobPlan';
import { NoRoomForInput, planJobChoices, type JobChoice, type JobSizing } from '../../core/generation/jobs/choices';
import { MIN_USEFUL_OUTPUT } from '../../core/pricing/budgetFit';
import type { BudgetFit } from '../../core/pricing/budget';
import { isBlockStructuredCode, TooManyParts } from '../../core/generation/jobs/split';
import { tooManyRequests, type MultipliedRequest } from '../../core/generation/jobs/consent';
import { RefusedError } from '../../core/generation/summary';
import { formatUsd, priceFor, worstCaseCost } from '../../core/pricing/cost';
import type { LengthwiseSettings } from '../../core/settings/settings';
import type { ServerTokenizer } from '../../providers/serverTokens';
import type { InputCount } from './preflight';

export type { JobChoice } from '../../core/generation/jobs/choices';

/**
 * Splits the prompt and plans both strategies (core/generation/jobs/choices.ts). `server`: the server's own
 * tokenizer, when it has one. The selection's count from the counting worker is passed on when exact, and long
 * texts are counted there (`countAsync`), so the split does not stall this thread counting megabytes (issue 28:
 * 273-300 ms for 5 MB).
 */
export async function planChoices(
  s: LengthwiseSettings,
  prompt: string,
  counted: InputCount,
  room: InputRoom,
  languageId: string | undefined,
  server?: ServerTokenizer,
  countAsync?: (text: string) => Promise<number | undefined>,
): Promise<Record<JobStrategy, JobChoice>> {
  const tok = counted.tokenizer;
  if (!tok) throw new RefusedError(vscode.l10n.t('The tokenizer did not load, so the input cannot be split exactly. Nothing was sent.'), 'invalid');
  try {
    // The worker's exact count of the selection (a server's count is of another unit: the split counts locally).
    const promptTokens = !counted.by && counted.exact && counted.tokenizerExact ? counted.messageTokens : undefined;
    return await planJobChoices({
      settings: s,
      prompt,
      count: (t) => tok.count(t),
      tokenizerLabel: `the ${tok.id} tokenizer${counted.tokenizerExact ? '' : ' (an estimate)'}`,
      promptTokens,
      countAsync,
      server,
      estimateMargin: counted.margin ?? 0,
      room,
      code: isBlockStructuredCode(languageId),
      languageId,
    });
  } catch (e) {
    if (e instanceof NoRoomForInput) throw new RefusedError(vscode.l10n.t('The system prompt leaves {0} tokens of {1} for the input: shorten lengthwise.systemPrompt or raise the limit. Nothing was sent.', e.partMax, e.room.limitedBy), 'invalid');
    if (!(e instanceof TooManyParts)) throw e;
    const msg = tooManyRequests(e.parts, vscode.l10n.t('Send a smaller selection, raise lengthwise.chunking.maxInputTokens or lower lengthwise.chunking.overlapTokens ({0} now).', s['chunking.overlapTokens']));
    void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', msg));
    throw new RefusedError(msg, 'invalid');
  }
}

/** The plan of some of a chunks job's parts (a retry): their requests, summed again. */
export function subPlan(plan: JobPlan, only: number[]): JobPlan {
  const requests = only.map((i) => plan.requests[i]!).filter(Boolean);
  let worst: number | null = 0;
  for (const r of requests) worst = worst === null || r.worstCaseUsd === null ? null : worst + r.worstCaseUsd;
  return { ...plan, requests, inputTokens: requests.reduce((a, r) => a + r.inputTokens, 0), maxOutputTokens: requests.reduce((a, r) => a + r.maxTokens, 0), worstCaseUsd: worst };
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

function describe(c: JobChoice, local: boolean, roomUsd?: number): string {
  const p = c.plan;
  const cost = local ? vscode.l10n.t('local, $0') : vscode.l10n.t('worst case {0}', formatUsd(p.worstCaseUsd));
  return vscode.l10n.t('{0} requests, {1} input tokens, {2}', p.requests.length, p.inputTokens.toLocaleString('en-US'), cost) + fitText(c, roomUsd);
}

/** How the parts were sized, in the plan's words: whose count, and the margin an estimate keeps. */
function sizingLine(z: JobSizing): string {
  if (z.exact) return vscode.l10n.t('Parts sized by {0} (exact for this server).', z.by);
  const margin = z.margin ? vscode.l10n.t(' with {0}% kept free', Math.round(z.margin * 100)) : '';
  return vscode.l10n.t('Parts sized by {0}{1}; a part the server still refuses for length is cut smaller and sent again, once.', z.by, margin);
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
export async function chooseStrategy(s: LengthwiseSettings, counted: InputCount, room: InputRoom, choices: Record<JobStrategy, JobChoice>, budgetRoomUsd?: number): Promise<JobChoice | undefined> {
  const set = s['chunking.strategy'];
  if (set === 'chunks') return choices.chunks;
  if (set === 'summarizeFirst') {
    if (!choices.summarizeFirst) throw new RefusedError(vscode.l10n.t('Summarize-first cannot fit: lower lengthwise.chunking.summaryTokens or use chunks. Nothing was sent.'), 'invalid');
    return choices.summarizeFirst;
  }
  const local = priceFor(s)?.local === true;
  const chunkItem = vscode.l10n.t('Process in {0} chunks', choices.chunks.parts.length);
  const sumItem = vscode.l10n.t('Summarize first, then answer');
  const by = counted.by ? vscode.l10n.t(' (counted by {0})', counted.by) : '';
  const detail =
    vscode.l10n.t('The input is {0} tokens{1}, more than one request takes ({2}: {3}).', counted.tokens.toLocaleString('en-US'), by, room.tokens.toLocaleString('en-US'), room.limitedBy) + '\n\n' +
    vscode.l10n.t('{0}: {1} (answers joined in order).', chunkItem, describe(choices.chunks, local, budgetRoomUsd)) + '\n' +
    (choices.summarizeFirst ? vscode.l10n.t('{0}: {1} (worst case; summaries are usually shorter).', sumItem, describe(choices.summarizeFirst, local, budgetRoomUsd)) : vscode.l10n.t('{0}: not possible with lengthwise.chunking.summaryTokens = {1}.', sumItem, s['chunking.summaryTokens'])) +
    '\n\n' + sizingLine(choices.chunks.sizing);
  const items = choices.summarizeFirst ? [chunkItem, sumItem] : [chunkItem];
  const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: the selection is larger than one request'), { modal: true, detail }, ...items);
  if (pick === chunkItem) return choices.chunks;
  if (pick === sumItem) return choices.summarizeFirst;
  return undefined;
}
