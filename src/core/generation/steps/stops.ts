// Step "stops": the list the provider and model rules allowed (settings/validate.ts crossCheck), minus what this
// request cannot carry (the Responses API has no stop parameter; OpenAI reasoning models refuse it) — never dropped
// without a note.
import { lintStops } from '../../models/stops';
import type { PlanContext } from './context';

const quoted = (stop: string[]) => stop.map((x) => JSON.stringify(x)).join(', ');

export function stopsStep(c: PlanContext): void {
  const { plan } = c;
  let stop = c.cross.stops.stops;
  plan.notes.push(...c.cross.stops.notes);
  if (c.draft.api === 'responses' && stop.length > 0) {
    plan.notes.push(
      `stop sequences not sent: OpenAI's Responses API has no stop parameter, so ${quoted(stop)} will not apply — ` +
        `set lengthwise.openaiApi to "chat" for a model that takes stops if the answer must end there.`,
    );
    stop = [];
  }
  if (c.reasoning && stop.length > 0) {
    plan.notes.push(
      `stop sequences not sent: ${c.name} is an OpenAI reasoning model and does not support them, so ${quoted(stop)} will not apply — ` +
        `pick a preset or model that supports stops (e.g. gpt-4.1) if the answer must end there.`,
    );
    stop = [];
  }
  c.draft.stop = stop;
}

/** Step "lint": stops that would fire too early or never, against the prompt (shown when the setting changes). */
export function lintStep(c: PlanContext): void {
  c.plan.lint.push(...lintStops(c.draft.stop, c.input.prompt));
}
