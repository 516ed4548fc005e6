// The adapter for VS Code's language models (provider "vscode-lm"): the request goes to the model through
// vscode.lm, and what the API does not give, Lengthwise adds. No usage comes back: the input and the answer are
// counted with the model's own tokenizer (countTokens) and reported as the model's count, not billed usage. No
// output cap or stop parameter: core's OutputGuard holds both on the stream and the request is cancelled there, so
// the answer ends as truncated (max_tokens) or stopped (stop_sequence) exactly as on the other providers.
import * as vscode from 'vscode';
import { OutputGuard } from '../../core/generation/outputGuard';
import type { Finish, GenerationRequest, ProviderAdapter, ProviderError, Usage } from '../../core/protocol/request';
import { mapFinish } from '../../core/providers/finish';
import { loadTokenizer } from '../../core/tokens/tokens';
import { makeAdapter, type AdapterContext } from '../../providers/adapter';
import { resolveModel } from './models';

/** The conversation as vscode.lm takes it: the system prompt first, as the user's (the API has no system role). */
export function lmMessages(req: Pick<GenerationRequest, 'system' | 'messages'>): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  if (req.system) out.push(vscode.LanguageModelChatMessage.User(req.system));
  for (const m of req.messages) out.push(m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.content));
  return out;
}

/** Tokens of the messages by the model's own tokenizer (one count per message: a bounded handful). */
export async function countMessages(model: vscode.LanguageModelChat, messages: readonly vscode.LanguageModelChatMessage[], token?: vscode.CancellationToken): Promise<number> {
  let n = 0;
  for (const m of messages) n += await model.countTokens(m, token);
  return n;
}

const LM_ERROR_CODES = ['NoPermissions', 'Blocked', 'NotFound'];

/** The code of a LanguageModelError, also when it crossed from another extension as a plain error with its name. */
function lmErrorCode(e: unknown): string | undefined {
  if (e instanceof vscode.LanguageModelError) return e.code;
  const x = e as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  for (const c of [x?.code, x?.name]) if (typeof c === 'string' && LM_ERROR_CODES.includes(c)) return c;
  // VS Code passes a provider's error on as "<code>: <message>" in some versions.
  const m = typeof x?.message === 'string' ? /^(NoPermissions|Blocked|NotFound)\b/.exec(x.message) : null;
  return m?.[1];
}

/** A LanguageModelError (consent refused, quota spent, model gone) as a message a person can act on. */
export function lmError(e: unknown, model: string): ProviderError | undefined {
  const code = lmErrorCode(e);
  if (!code) return undefined;
  const raw = e instanceof Error ? e.message : '';
  const detail = raw ? ` (${raw.slice(0, 300)})` : '';
  switch (code) {
    case 'NoPermissions':
      return { kind: 'auth', message: vscode.l10n.t('VS Code did not let Lengthwise use {0}: the consent was refused or withdrawn{1}. Run the command again and allow it (or manage it in the Accounts menu).', model, detail) };
    case 'Blocked':
      return { kind: 'rate_limit', message: vscode.l10n.t('{0} refused the request: its quota is spent or the request was blocked{1}.', model, detail) };
    default:
      return { kind: 'bad_request', message: vscode.l10n.t('{0} is no longer available{1}: run "Lengthwise: Select Model".', model, detail) };
  }
}

const NOTHING: Partial<Usage> = { inputTokens: 0, outputTokens: 0 };

/** Reads the answer through the guard; returns the finish (the cap, a stop sequence, or the model's own end). */
async function stream(ctx: AdapterContext, response: vscode.LanguageModelChatResponse, guard: OutputGuard, cancel: () => void): Promise<Finish> {
  for await (const piece of response.text) {
    const pause = ctx.pace();
    if (pause) await pause;
    const step = await guard.push(piece);
    ctx.text(step.emit);
    if (step.stop) {
      cancel(); // the model is told to stop: no more of the answer is generated
      return step.stop.kind === 'length' ? mapFinish('vscode-lm', 'max_tokens') : mapFinish('vscode-lm', 'stop_sequence', step.stop.sequence);
    }
  }
  ctx.text(guard.flush());
  return mapFinish('vscode-lm', 'end');
}

async function run(ctx: AdapterContext): Promise<Finish | undefined> {
  const req = ctx.request;
  const cts = new vscode.CancellationTokenSource();
  const onAbort = () => cts.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let sent = '';
  const failed = (error: ProviderError): Finish => {
    // Refused before any answer: nothing was spent (the model's count of nothing is 0).
    if (!sent) ctx.emit({ type: 'usage', usage: NOTHING, source: 'model' });
    ctx.emit({ type: 'error', error });
    return { raw: 'error', reason: 'error', truncated: sent.length > 0 };
  };
  try {
    let model: vscode.LanguageModelChat;
    try {
      model = await resolveModel(req.model);
    } catch (e) {
      return failed({ kind: 'bad_request', message: e instanceof Error ? e.message : String(e) });
    }
    const messages = lmMessages(req);
    const guard = new OutputGuard({ maxTokens: req.maxTokens, stop: req.stop, countModel: async (t) => model.countTokens(t, cts.token), tokenizer: await loadTokenizer('o200k_base') });
    let finish: Finish;
    try {
      const response = await model.sendRequest(messages, { justification: vscode.l10n.t('Lengthwise sends the text you selected, with your length and cost settings.') }, cts.token);
      ctx.started();
      finish = await stream(ctx, response, guard, () => cts.cancel());
    } catch (e) {
      sent = guard.emitted;
      const err = lmError(e, req.model);
      if (!err || ctx.signal.aborted) throw e;
      if (!sent) return failed(err);
      finish = failed(err);
    }
    const [inputTokens, outputTokens] = await Promise.all([countMessages(model, messages), model.countTokens(guard.emitted)]);
    ctx.emit({ type: 'usage', usage: { inputTokens, outputTokens }, source: 'model' });
    return finish;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    cts.dispose();
  }
}

export function createLmAdapter(): ProviderAdapter {
  return makeAdapter('vscode-lm', run);
}
