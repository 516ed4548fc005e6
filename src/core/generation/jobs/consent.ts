// The job rule of the one door: a request that multiplies (a live job, a batch, a trial) is capped, and a large one
// is shown to the user and needs a yes every time, whatever the settings say (a workspace could otherwise set
// chunking.strategy "chunks" with tiny parts and spend hundreds of requests on one Send).
import { worstCaseCost, type ModelPrice } from '../../pricing/cost';
import { addUsd, formatUsd } from '../../pricing/money';

/** More requests than this in one job: asked every time. */
const ASK_ABOVE_REQUESTS = 20;
/** A worst case more than this many times that of one request: asked every time. */
const ASK_ABOVE_FACTOR = 10;
/** No job sends more requests than this. */
export const MAX_JOB_REQUESTS = 500;

export interface MultipliedRequest {
  /** What it is, for the question: "Send (chunks)", "Send as Batch", "Try Preset". */
  what: string;
  requests: number;
  /** Input tokens over all requests. */
  inputTokens: number;
  /** Every request's input plus its full output cap. */
  worstTokens: number;
  /** null = price unknown. */
  worstUsd: number | null;
  /** The same two figures for one ordinary request of the same settings (the factor rule compares with it). */
  oneWorstTokens: number;
  oneWorstUsd: number | null;
}

/**
 * Why the user must see the plan and say yes (undefined: small enough to go as the settings say). The factor rule
 * compares dollars where both are known, else tokens.
 */
export function mustAsk(m: MultipliedRequest): string | undefined {
  if (m.requests > ASK_ABOVE_REQUESTS) return `it sends ${m.requests} requests (more than ${ASK_ABOVE_REQUESTS})`;
  const dollars = m.worstUsd !== null && m.oneWorstUsd !== null && m.oneWorstUsd > 0;
  const factor = dollars ? m.worstUsd! / m.oneWorstUsd! : m.oneWorstTokens > 0 ? m.worstTokens / m.oneWorstTokens : 0;
  // Ten equal requests are 10×, not more: the sum of their float costs may land a hair above (10.000000000000002).
  if (factor > ASK_ABOVE_FACTOR * (1 + 1e-9)) return `its worst case is ${Math.round(factor)}× that of one request (more than ${ASK_ABOVE_FACTOR}×)`;
  return undefined;
}

/** The refusal of a job over MAX_JOB_REQUESTS, with what to change. */
export function tooManyRequests(requests: number, fix: string): string {
  return `This would take ${requests.toLocaleString('en-US')} requests; Lengthwise sends at most ${MAX_JOB_REQUESTS} in one job. ${fix} Nothing was sent.`;
}

/** The plan as the question shows it. */
export function planLine(m: MultipliedRequest): string {
  const worst = m.worstUsd === null ? 'worst case unknown (no price)' : `worst case ${formatUsd(m.worstUsd)}`;
  return `${m.what}: ${m.requests} requests, ${m.inputTokens.toLocaleString('en-US')} input tokens, ${worst}.`;
}

/**
 * Requests planned one by one (a batch's, a trial's) as the job rule sees them: every request at `price`, next to
 * the largest single one.
 */
export function multipliedOf(what: string, requests: readonly { request: { maxTokens: number }; inputTokens: number }[], price: ModelPrice | undefined): MultipliedRequest {
  let worstUsd: number | null = 0;
  let oneWorstUsd: number | null = 0;
  let worstTokens = 0;
  let oneWorstTokens = 0;
  let inputTokens = 0;
  for (const r of requests) {
    const w = worstCaseCost(r.inputTokens, r.request.maxTokens, price);
    worstUsd = addUsd(worstUsd, w);
    oneWorstUsd = w === null || oneWorstUsd === null ? null : Math.max(oneWorstUsd, w);
    worstTokens += r.inputTokens + r.request.maxTokens;
    oneWorstTokens = Math.max(oneWorstTokens, r.inputTokens + r.request.maxTokens);
    inputTokens += r.inputTokens;
  }
  return { what, requests: requests.length, inputTokens, worstTokens, worstUsd, oneWorstTokens, oneWorstUsd };
}
