// Send's preparation for a big selection (prints figures; not a timed test): what Send does on the editor's thread
// before its request goes — the input counted through the session's counter (the counting worker for big texts), the
// room of one request, and either the plan of one request (countedPlan) or, when the input is larger than one
// request, the split and both job plans (core/generation/jobs/choices.ts) — with the longest event-loop stall of
// this thread meanwhile, for 1, 5 and 8 MB, beside the status bar meter's count of the same selection (the worker).
// "Before": the split counted the whole selection again on this thread (issue 28: 273-300 ms for 5 MB in the host).
import { countAll, InThreadCounter, RoutedCounter } from '../../src/core/tokens/counting';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { WorkerCounter } from '../../src/platform/node/countWorker';
import { DEFAULT_SETTINGS } from '../../src/core/settings/schema';
import { findModel } from '../../src/core/models/models';
import { inputRoom, JOB_FRAMING } from '../../src/core/generation/jobs/jobPlan';
import { planJobChoices } from '../../src/core/generation/jobs/choices';
import { countedPlanAsync } from '../../src/core/generation/countedPlan';
import { chatFramingTokens } from '../../src/core/tokens/chatInput';
import { realCorpus } from './corpus';
import { flat, stall3 } from './offthread-bench';

const MB = 1024 * 1024;
const r1 = (x: number) => Math.round(x * 10) / 10;

export async function runSendBench(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  const s = { ...DEFAULT_SETTINGS };
  const tok = await loadTokenizer('o200k_base');
  const worker = new WorkerCounter();
  const counter = new RoutedCounter(new InThreadCounter(), worker);
  try {
    await worker.count('o200k_base', 'warm up');
    for (const mb of [1, 5, 8]) {
      const text = flat(realCorpus(mb * MB));
      /**
       * Send's preparation; `known`: the split is given the worker's exact count and counts long texts there (now),
       * or counts everything again on this thread (before).
       */
      const prepare = async (known: boolean) => {
        const counted = await countAll(counter, 'o200k_base', [text]);
        const tokens = counted.tokens + chatFramingTokens(s.provider, 1);
        const room = inputRoom(findModel(s.provider, s.model, s.models), s.maxTokens, counted.exact, s['chunking.maxInputTokens']);
        if (room && tokens + JOB_FRAMING > room.tokens) {
          const choices = await planJobChoices({
            settings: s,
            prompt: text,
            count: (t) => tok.count(t),
            tokenizerLabel: 'the o200k_base tokenizer',
            promptTokens: known && counted.exact ? counted.tokens : undefined,
            countAsync: known ? async (t) => ((r) => (r.exact ? r.tokens : undefined))(await counter.count('o200k_base', t)) : undefined,
            room,
            code: false,
          });
          return `job of ${choices.chunks.parts.length} parts`;
        }
        const c = await countedPlanAsync({ settings: s, prompt: text, inputTokensExact: counted.exact }, counted.tokens, async (t) => (await counter.count('o200k_base', t)).tokens);
        return `one request of ${c.inputTokens} input tokens`;
      };
      // The block cache of the worker is warm after the first run (as after the meter counted the selection).
      const meter = await stall3(() => counter.count('o200k_base', text));
      const before = await stall3(() => prepare(false));
      const now = await stall3(() => prepare(true));
      out[`(11) ${mb} MB: Send's preparation (${now.value}): longest stall now / before, ms`] = `${r1(now.stallMs)} / ${r1(before.stallMs)}`;
      out[`(11) ${mb} MB: Send's preparation, this thread busy / total now, ms`] = `${r1(now.busyMs)} / ${Math.round(now.ms)}`;
      out[`(11) ${mb} MB: the meter's count of the same selection: longest stall, ms`] = r1(meter.stallMs);
    }
  } finally {
    counter.dispose();
  }
  return out;
}
