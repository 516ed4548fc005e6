// The two plans Send offers for an input larger than one request (answer in chunks, or summarize first): the input
// split to parts that fit the room with the longer of the two prompts, and each strategy planned with its requests,
// tokens and worst case. The parts are sized by the tokenizer that will read them: a server's own where it has one
// (fitParts.ts), else the local count (with a stated margin for a tokenizer Lengthwise cannot see). The shell
// (src/extension/send/job.ts) offers them and runs the chosen one.
import { decideLengthHint, withHint } from '../lengthHint';
import { mapSystem } from './prompts';
import { JOB_FRAMING, planJob, type InputRoom, type JobPlan, type JobPlanInput, type JobStrategy } from './jobPlan';
import { type TextPart } from './split';
import { fitParts } from './fitParts';
import { MAX_JOB_REQUESTS } from './consent';
import { tierPricer } from '../../pricing/serviceTier';
import { sentTier } from '../../providers/tiers';
import type { ChatMessage } from '../../protocol/request';
import type { LengthwiseSettings } from '../../settings/settings';
import { isSafeCut } from '../../tokens/safeCuts';

export interface JobChoice {
  strategy: JobStrategy;
  parts: TextPart[];
  plan: JobPlan;
  sizing: JobSizing;
  /** What the plan was made from (to fit it to a budget). */
  input: JobPlanInput;
  /** The answer cap of its chunks and final answer (lowered when fitted to a "block" budget). */
  maxTokens: number;
  /** Said when the cap was lowered to fit the budget. */
  budgetNote?: string;
}

/** How the parts were sized, for the plan question, the log and the run. */
export interface JobSizing {
  /** Every part's tokens are the server's own count. */
  exact: boolean;
  /** Who counted: "llama-server's own tokenizer", "the o200k_base tokenizer". */
  by: string;
  /** Server tokens per local token (the run counts summaries with it); 1 without a server count. */
  ratio: number;
  /** The share kept free because the sizes are estimates. */
  margin: number;
  /** Exact input tokens of each chunk request (the part, the user's system prompt and the template), when counted. */
  partInputTokens?: (number | undefined)[];
  languageId?: string;
}

/** A server's own tokenizer (src/providers/serverTokens.ts), as the split uses it. */
export interface ServerCount {
  label: string;
  countChat(system: string, messages: ChatMessage[]): Promise<number | undefined>;
  countText(text: string): Promise<number | undefined>;
}

/** The system prompt leaves too little of the room for the input (fewer than 32 tokens a part). */
export class NoRoomForInput extends RangeError {
  constructor(
    readonly partMax: number,
    readonly room: InputRoom,
  ) {
    super(`the system prompt leaves ${partMax} tokens of ${room.limitedBy} for the input`);
  }
}

export interface ChoicesInput {
  settings: LengthwiseSettings;
  prompt: string;
  /** The model's tokenizer (parts are cut and counted with it). */
  count: (text: string) => number;
  /** "the o200k_base tokenizer" (with "(an estimate)" when it is not the model's own). */
  tokenizerLabel: string;
  /**
   * The prompt's tokens when they are known exactly (counted off the editor's thread): the split does not count the
   * whole prompt again on this thread.
   */
  promptTokens?: number;
  /** Counts a long text off this thread (the counting worker); undefined when not exact (SplitOptions.countAsync). */
  countAsync?: (text: string) => Promise<number | undefined>;
  /** The server's own tokenizer, when it has one. */
  server?: ServerCount;
  /** Without the server's counts: the share of each part kept free (ESTIMATE_MARGIN for an unseen tokenizer). */
  estimateMargin?: number;
  room: InputRoom;
  /** Prefer cuts between top-level blocks (the document is code). */
  code: boolean;
  languageId?: string;
}

/** Splits the prompt and plans both strategies; throws NoRoomForInput, or TooManyParts (split.ts). */
export async function planJobChoices(i: ChoicesInput): Promise<Record<JobStrategy, JobChoice>> {
  const s = i.settings;
  // The longer of the two prompts (the map prompt wraps the user's) sizes the parts, so either plan fits; with the
  // length hint each request adds to it (counted as every request's input is: core/generation/countedPlan.ts). The
  // server counts it with its chat template; locally, framing is added.
  const mapPrompt = mapSystem(s.systemPrompt, 999, 999, s['chunking.summaryTokens']);
  const hint = decideLengthHint(s.lengthHint, { maxTokens: i.room.maxTokens, system: mapPrompt });
  const system = hint.sent ? withHint(mapPrompt, hint.text) : mapPrompt;
  const served = i.server ? await i.server.countChat(system, [{ role: 'user', content: '' }]) : undefined;
  const overhead = (served ?? i.count(system)) + JOB_FRAMING;
  const partMax = i.room.tokens - overhead;
  if (partMax < 32) throw new NoRoomForInput(partMax, i.room);
  const overlap = Math.min(s['chunking.overlapTokens'], Math.floor(partMax / 2));
  const server = served !== undefined ? i.server : undefined;
  const fit = await fitParts(i.prompt, {
    maxTokens: partMax,
    overlapTokens: overlap,
    count: i.count,
    exact: server ? (t) => server.countText(t) : undefined,
    estimateMargin: i.estimateMargin ?? 0,
    isSafeCut,
    code: i.code,
    maxParts: MAX_JOB_REQUESTS,
    wholeTokens: i.promptTokens,
    countAsync: i.countAsync,
  });
  const chunkOverhead = fit.exact && server ? await server.countChat(s.systemPrompt, [{ role: 'user', content: '' }]) : undefined;
  const sizing: JobSizing = {
    exact: fit.exact,
    by: fit.exact && server ? server.label : i.tokenizerLabel,
    ratio: fit.ratio,
    margin: fit.margin,
    partInputTokens: chunkOverhead !== undefined ? fit.parts.map((p) => p.tokens + chunkOverhead) : undefined,
    languageId: i.languageId,
  };
  return choicesFor(s, fit.parts, overhead, i.room, sizing);
}

function choicesFor(s: LengthwiseSettings, parts: TextPart[], overhead: number, room: InputRoom, sizing: JobSizing): Record<JobStrategy, JobChoice> {
  // The tier each part's request will carry prices the plan (standard where the tier asked for is not sold).
  const price = tierPricer(s)(sentTier(s.provider, s.model, s.serviceTier));
  const common = { partTokens: parts.map((p) => p.tokens), overheadTokens: overhead, maxTokens: room.maxTokens, summaryMaxTokens: s['chunking.summaryTokens'], room: room.tokens, price };
  const choices = {} as Record<JobStrategy, JobChoice>;
  for (const strategy of ['chunks', 'summarizeFirst'] as const) {
    try {
      const input = { ...common, strategy };
      const plan = planJob(input);
      // Summaries of summaries add requests: a plan over the cap is not offered.
      if (plan.requests.length <= MAX_JOB_REQUESTS) choices[strategy] = { strategy, parts, plan, sizing, input, maxTokens: room.maxTokens };
    } catch (e) {
      if (strategy === 'chunks') throw e;
    }
  }
  return choices;
}
