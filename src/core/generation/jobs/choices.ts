// The two plans Send offers for an input larger than one request (answer in chunks, or summarize first): the input
// split to parts that fit the room with the longer of the two prompts, and each strategy planned with its requests,
// tokens and worst case. The shell (src/extension/send/job.ts) offers them and runs the chosen one.
import { decideLengthHint, withHint } from '../lengthHint';
import { mapSystem } from './prompts';
import { planJob, type InputRoom, type JobPlan, type JobPlanInput, type JobStrategy } from './jobPlan';
import { splitTextAsync, type TextPart } from './split';
import { MAX_JOB_REQUESTS } from './consent';
import { tierPricer } from '../../pricing/serviceTier';
import type { LengthwiseSettings } from '../../settings/settings';
import { isSafeCut } from '../../tokens/safeCuts';

/** Tokens a request adds around its input besides the system prompt (message framing). */
export const JOB_FRAMING = 16;

export interface JobChoice {
  strategy: JobStrategy;
  parts: TextPart[];
  plan: JobPlan;
  /** What the plan was made from (to fit it to a budget). */
  input: JobPlanInput;
  /** The answer cap of its chunks and final answer (lowered when fitted to a "block" budget). */
  maxTokens: number;
  /** Said when the cap was lowered to fit the budget. */
  budgetNote?: string;
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
  /**
   * The prompt's tokens when they are known exactly (counted off the editor's thread): the split does not count the
   * whole prompt again on this thread.
   */
  promptTokens?: number;
  /** Counts a long text off this thread (the counting worker); undefined when not exact (SplitOptions.countAsync). */
  countAsync?: (text: string) => Promise<number | undefined>;
  room: InputRoom;
  /** Prefer cuts between top-level blocks (the document is code). */
  code: boolean;
}

/** Splits the prompt and plans both strategies; throws NoRoomForInput, or TooManyParts (split.ts). */
export async function planJobChoices(i: ChoicesInput): Promise<Record<JobStrategy, JobChoice>> {
  const s = i.settings;
  const budget = s['chunking.summaryTokens'];
  // The longer of the two prompts (the map prompt wraps the user's) sizes the parts, so either plan fits; with the
  // length hint each request adds to it (counted as every request's input is: core/generation/countedPlan.ts).
  const system = mapSystem(s.systemPrompt, 999, 999, budget);
  const hint = decideLengthHint(s.lengthHint, { maxTokens: i.room.maxTokens, system });
  const overhead = i.count(hint.sent ? withHint(system, hint.text) : system) + JOB_FRAMING;
  const partMax = i.room.tokens - overhead;
  if (partMax < 32) throw new NoRoomForInput(partMax, i.room);
  const overlap = Math.min(s['chunking.overlapTokens'], Math.floor(partMax / 2));
  const parts = await splitTextAsync(i.prompt, { maxTokens: partMax, overlapTokens: overlap, count: i.count, isSafeCut, code: i.code, maxParts: MAX_JOB_REQUESTS, wholeTokens: i.promptTokens, countAsync: i.countAsync });
  // The tier asked for prices the plan (each part's request carries it).
  const price = tierPricer(s)(s.serviceTier);
  const common = { partTokens: parts.map((p) => p.tokens), overheadTokens: overhead, maxTokens: i.room.maxTokens, summaryMaxTokens: budget, room: i.room.tokens, price };
  const choices = {} as Record<JobStrategy, JobChoice>;
  for (const strategy of ['chunks', 'summarizeFirst'] as const) {
    try {
      const input = { ...common, strategy };
      const plan = planJob(input);
      // Summaries of summaries add requests: a plan over the cap is not offered.
      if (plan.requests.length <= MAX_JOB_REQUESTS) choices[strategy] = { strategy, parts, plan, input, maxTokens: i.room.maxTokens };
    } catch (e) {
      if (strategy === 'chunks') throw e;
    }
  }
  return choices;
}
