// Step "API choice": Chat Completions or the Responses API (OpenAI-protocol providers), the Responses API's lowest
// output cap, and verbosity where the model takes it.
import { chooseOpenAIApi, RESPONSES_MIN_OUTPUT_TOKENS, verbosityFor } from '../../models/openaiApi';
import { settingLabel } from '../../settings/settings';
import { presetOf, type PlanContext } from './context';

export function apiStep(c: PlanContext): void {
  const { s, plan, sources, draft } = c;
  const choice = chooseOpenAIApi(s.provider, s.model, c.model, s.openaiApi);
  plan.notes.push(...choice.notes);
  if (choice.error) plan.errors.push({ setting: 'lengthwise.openaiApi', value: s.openaiApi, ...presetOf(sources.openaiApi), message: choice.error });
  if (choice.api === 'responses') {
    draft.api = 'responses';
    if (!c.limitsFailed && draft.maxTokens < RESPONSES_MIN_OUTPUT_TOKENS) {
      plan.notes.push(`max tokens ${draft.maxTokens} → ${RESPONSES_MIN_OUTPUT_TOKENS}: the Responses API refuses max_output_tokens below ${RESPONSES_MIN_OUTPUT_TOKENS}.`);
      draft.maxTokens = RESPONSES_MIN_OUTPUT_TOKENS;
    }
  }
  const verbosity = verbosityFor(s.provider, s.model, c.model, s.verbosity, settingLabel('verbosity', sources.verbosity));
  plan.notes.push(...verbosity.notes);
  if (verbosity.verbosity) draft.verbosity = verbosity.verbosity;
}
