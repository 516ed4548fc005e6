// The one rule for the input count of a request: every text it sends — the system prompt as sent, the length
// hint included, and the messages — plus the chat framing of the provider's counting rule (tokens/chatInput.ts).
// The hint is one sentence added after the max tokens are known (generation/steps/build.ts), and the max tokens
// are clamped by the input count (the window check): the request is planned, its system prompt counted, and
// planned again until the count the plan used is the count of the request it built. Send, Continue, Count
// Selection Tokens Exactly, the status bar's meter, jobs and batches all plan through here, so the worst case,
// the budget hold and the window check use the same number the status bar and Count show.
import { chatFramingTokens } from '../tokens/chatInput';
import { planRequest } from './plan';
import type { Plan, PlanInput } from './steps/context';

/** More passes than the hint ever needs: a changed hint changes the count by a token or two. */
const MAX_PASSES = 4;

/** What an input count is made of, for saying so ("13 = the selection 7 + chat framing 6"). */
export interface InputParts {
  /** The messages' text (the selection, or a conversation so far). */
  messages: number;
  /** The system prompt as sent: the user's own and the length hint, in one text. */
  system: number;
  /** Whether `system` includes a length hint. */
  hint: boolean;
  /** What the provider's counting rule adds around the messages (0 where none is published). */
  framing: number;
  total: number;
}

export interface CountedPlan {
  plan: Plan;
  inputTokens: number;
  parts: InputParts;
}

/**
 * The planning passes, as a generator so both a synchronous count (jobs, in core) and the shell's asynchronous one
 * (a worker for big texts) can drive it: it yields a system prompt whose tokens it needs and is given their count.
 * `messageTokens`: the messages' text, counted once. The input's messages (default: the prompt) are the request's.
 */
export function* countedPlan(input: Omit<PlanInput, 'inputTokens'>, messageTokens: number): Generator<string, CountedPlan, number> {
  const s = input.settings;
  const messageCount = input.messages?.length ?? 1;
  const total = (system: string | undefined, systemTokens: number): InputParts => {
    const framing = chatFramingTokens(s.provider, messageCount + (system ? 1 : 0));
    return { messages: messageTokens, system: systemTokens, hint: false, framing, total: messageTokens + systemTokens + framing };
  };
  let counted = s.systemPrompt || undefined;
  let parts = total(counted, counted ? yield counted : 0);
  let largest = parts.total;
  const done = (plan: Plan): CountedPlan => ({ plan, inputTokens: parts.total, parts: { ...parts, hint: plan.request?.lengthHint !== undefined } });
  for (let pass = 1; ; pass++) {
    // Past MAX_PASSES the plan takes the largest count seen (the window check never uses less than the request
    // holds), and the count returned is its own request's.
    const settle = pass > MAX_PASSES;
    const plan = planRequest({ ...input, inputTokens: settle ? largest : parts.total, countedSystem: counted ?? '' });
    const system = plan.request?.system;
    if (!plan.request || system === counted) return done(plan);
    counted = system;
    parts = total(counted, counted ? yield counted : 0);
    largest = Math.max(largest, parts.total);
    if (settle) return done(plan);
  }
}

/** countedPlan with a synchronous count (a loaded tokenizer, or an estimate). */
export function countedPlanSync(input: Omit<PlanInput, 'inputTokens'>, messageTokens: number, count: (text: string) => number): CountedPlan {
  const run = countedPlan(input, messageTokens);
  let step = run.next();
  while (!step.done) step = run.next(count(step.value));
  return step.value;
}

/** countedPlan with an asynchronous count (the shell's session counter: big texts off the editor's thread). */
export async function countedPlanAsync(input: Omit<PlanInput, 'inputTokens'>, messageTokens: number, count: (text: string) => Promise<number>): Promise<CountedPlan> {
  const run = countedPlan(input, messageTokens);
  let step = run.next();
  while (!step.done) step = run.next(await count(step.value));
  return step.value;
}

/** "the selection 7 + the system prompt 12 (with the length hint) + chat framing 9": what an input count is made of. */
export function inputPartsText(p: InputParts, what = 'the selection'): string {
  const items = [`${what} ${fmt(p.messages)}`];
  if (p.system) items.push(`the system prompt ${fmt(p.system)}${p.hint ? ' (with the length hint)' : ''}`);
  if (p.framing) items.push(`chat framing ${fmt(p.framing)}`);
  return items.join(' + ');
}

const fmt = (n: number): string => n.toLocaleString('en-US');
