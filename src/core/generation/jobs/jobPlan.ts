// A job: many requests planned and priced before any is sent. "chunks" answers each part on its own;
// "summarizeFirst" summarizes each part (map), then answers over the summaries (reduce), summarizing groups of
// summaries again while they are still too large for one request. Worst-case costs come from the same price and
// the same rule the meter uses for one request (every input token at the input rate, the full output cap at the
// output rate, tiers per request).
import type { ModelInfo } from '../../models/models';
import { safetyMargin } from '../../models/limits';
import { worstCaseCost, type ModelPrice } from '../../pricing/cost';
import { addUsd, formatUsd } from '../../pricing/money';

export type JobStrategy = 'chunks' | 'summarizeFirst';

export interface InputRoom {
  /** Most input tokens one request of the job may carry (prompt overhead included). */
  tokens: number;
  /** Output cap of one request after the model's limits. */
  maxTokens: number;
  /** What limits it, for messages: "the model's context window", "lengthwise.chunking.maxInputTokens". */
  limitedBy: string;
}

/**
 * Input room of one request: the context window minus the answer's cap and the safety margin the planner keeps
 * (limits.ts), the model's own input limit, and lengthwise.chunking.maxInputTokens when set. undefined when the
 * model's window is unknown and no setting bounds it (nothing to split against).
 */
export function inputRoom(model: ModelInfo | undefined, maxTokens: number, exact: boolean, maxInputSetting: number | null): InputRoom | undefined {
  const out = Math.max(1, Math.min(maxTokens, model && Number.isFinite(model.maxOutputTokens) ? model.maxOutputTokens : maxTokens));
  let room: InputRoom | undefined;
  if (model && Number.isFinite(model.contextWindow)) {
    // room + margin(room) + out ≤ window, margin(room) = base + (exact ? 0 : ceil(5% of room)).
    let r = Math.floor((model.contextWindow - out - safetyMargin(model.contextWindow, 0, true)) / (exact ? 1 : 1.05));
    while (r > 0 && r + out + safetyMargin(model.contextWindow, r, exact) > model.contextWindow) r--;
    room = { tokens: Math.max(0, r), maxTokens: out, limitedBy: `${model.displayName}'s context window of ${model.contextWindow.toLocaleString('en-US')} tokens with max tokens ${out}` };
  }
  if (model?.maxInputTokens !== undefined && (!room || model.maxInputTokens < room.tokens)) {
    room = { tokens: model.maxInputTokens, maxTokens: out, limitedBy: `${model.displayName}'s input limit of ${model.maxInputTokens.toLocaleString('en-US')} tokens` };
  }
  if (maxInputSetting !== null && (!room || maxInputSetting < room.tokens)) {
    room = { tokens: maxInputSetting, maxTokens: out, limitedBy: `lengthwise.chunking.maxInputTokens (${maxInputSetting.toLocaleString('en-US')})` };
  }
  return room;
}

interface PlannedRequest {
  /** map = summarize one part; reduce = summarize a group of summaries; final = the answer. chunk = answer one part. */
  kind: 'chunk' | 'map' | 'reduce' | 'final';
  /** Tree level: 0 for chunks and map requests, then 1, 2 … for reduce rounds. */
  level: number;
  /** Part indexes (chunk/map) or indexes of the previous level's outputs (reduce/final). */
  inputs: number[];
  /** Worst-case input tokens: the part or the summaries at their full budget, plus the prompt overhead. */
  inputTokens: number;
  maxTokens: number;
  worstCaseUsd: number | null;
}

export interface JobPlan {
  strategy: JobStrategy;
  requests: PlannedRequest[];
  /** Sum over the requests (worst case for summaries, which can come back shorter). */
  inputTokens: number;
  maxOutputTokens: number;
  /** null = price unknown (never 0). */
  worstCaseUsd: number | null;
  /** Reduce levels after the map (summarizeFirst): 1 = answer straight over the summaries. */
  reduceLevels: number;
}

export interface JobPlanInput {
  strategy: JobStrategy;
  /** Tokens of each part as sent (overlap included). */
  partTokens: number[];
  /** Tokens every request adds around its input (system prompt, instruction, framing). */
  overheadTokens: number;
  /** Output cap of a chunk request and of the final answer. */
  maxTokens: number;
  /** Output cap of one summary (map and intermediate reduce requests). */
  summaryMaxTokens: number;
  /** Input room of one request (inputRoom().tokens). */
  room: number;
  price: ModelPrice | undefined;
}

function req(kind: PlannedRequest['kind'], level: number, inputs: number[], inputTokens: number, maxTokens: number, price: ModelPrice | undefined): PlannedRequest {
  return { kind, level, inputs, inputTokens, maxTokens, worstCaseUsd: worstCaseCost(inputTokens, maxTokens, price) };
}

/** Plans a job; throws a RangeError with the numbers when it cannot fit (e.g. a summary budget over the room). */
export function planJob(p: JobPlanInput): JobPlan {
  const requests: PlannedRequest[] = [];
  let reduceLevels = 0;
  if (p.strategy === 'chunks') {
    p.partTokens.forEach((t, i) => requests.push(req('chunk', 0, [i], t + p.overheadTokens, p.maxTokens, p.price)));
  } else {
    p.partTokens.forEach((t, i) => requests.push(req('map', 0, [i], t + p.overheadTokens, p.summaryMaxTokens, p.price)));
    const perRequest = Math.floor((p.room - p.overheadTokens) / p.summaryMaxTokens);
    let count = p.partTokens.length;
    let level = 0;
    // Summaries at their full budget: answer over all when they fit one request, else summarize groups again.
    while (count * p.summaryMaxTokens + p.overheadTokens > p.room) {
      if (perRequest < 2) {
        throw new RangeError(
          `summaries of ${p.summaryMaxTokens} tokens leave room for fewer than 2 per request (${p.room} input tokens, ${p.overheadTokens} of them for the prompt): lower the summary budget or use chunks`,
        );
      }
      level++;
      const groups = Math.ceil(count / perRequest);
      for (let g = 0; g < groups; g++) {
        const inputs = range(g * perRequest, Math.min(count, (g + 1) * perRequest));
        requests.push(req('reduce', level, inputs, inputs.length * p.summaryMaxTokens + p.overheadTokens, p.summaryMaxTokens, p.price));
      }
      count = groups;
    }
    reduceLevels = level + 1;
    requests.push(req('final', level + 1, range(0, count), count * p.summaryMaxTokens + p.overheadTokens, p.maxTokens, p.price));
  }
  let worst: number | null = 0;
  for (const r of requests) worst = addUsd(worst, r.worstCaseUsd);
  return {
    strategy: p.strategy,
    requests,
    inputTokens: requests.reduce((s, r) => s + r.inputTokens, 0),
    maxOutputTokens: requests.reduce((s, r) => s + r.maxTokens, 0),
    worstCaseUsd: worst,
    reduceLevels,
  };
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}

/** How many of the plan's requests, in order, fit `roomUsd` at their worst case (all when the price is unknown: nothing to count). */
export function requestsThatFit(plan: JobPlan, roomUsd: number): number {
  let spent = 0;
  let n = 0;
  for (const r of plan.requests) {
    if (r.worstCaseUsd === null) return plan.requests.length;
    if (spent + r.worstCaseUsd > roomUsd) break;
    spent += r.worstCaseUsd;
    n++;
  }
  return n;
}

/**
 * A job fitted to the rest of a "block" budget: the largest answer cap (chunks, and the final answer) at which the
 * whole plan's worst case fits `roomUsd`, down to `minTokens`; summaries keep their budget. `short` when even that
 * does not fit.
 */
export function fitJob(p: JobPlanInput, roomUsd: number, minTokens: number): { plan: JobPlan; maxTokens: number } | { short: string } {
  const at = (maxTokens: number) => planJob({ ...p, maxTokens });
  const full = at(p.maxTokens);
  if (full.worstCaseUsd === null || full.worstCaseUsd <= roomUsd) return { plan: full, maxTokens: p.maxTokens };
  const least = at(Math.min(minTokens, p.maxTokens));
  if (least.worstCaseUsd! > roomUsd) {
    return { short: `Even at ${minTokens} output tokens an answer, its ${full.requests.length} requests could cost up to ${formatUsd(least.worstCaseUsd)}, more than the ${formatUsd(roomUsd)} left.` };
  }
  // The worst case grows with the cap: the largest cap that fits, by bisection (about 17 plans for a 100,000 cap).
  let lo = Math.min(minTokens, p.maxTokens);
  let hi = p.maxTokens;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid).worstCaseUsd! <= roomUsd) lo = mid;
    else hi = mid;
  }
  return { plan: at(lo), maxTokens: lo };
}
