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

/** A LanguageModelError (consent refused, quota spent, model gone) as a message a person can act on. */
export function lmError(e: unknown, model: string): ProviderError | undefined {
  if (!(e instanceof vscode.LanguageModelError)) return undefined;
  const detail = e.message ? ` (${e.message.slice(0, 300)})` : '';
  switch (e.code) {
    case 'NoPermissions':
      return { kind: 'auth', message: vscode.l10n.t('VS Code did not let Lengthwise use {0}: the consent was refused or withdrawn{1}. Run the command again and allow it (or manage it in the Accounts menu). Nothing was sent.', model, detail) };
    case 'Blocked':
      return { kind: 'rate_limit', message: vscode.l10n.t('{0} refused the request: its quota is spent or the request was blocked{1}. Nothing was sent.', model, detail) };
    case 'NotFound':
      return { kind: 'bad_request', message: vscode.l10n.t('{0} is no longer available{1}: run "Lengthwise: Select Model". Nothing was sent.', model, detail) };
    default:
      return { kind: 'other', message: vscode.l10n.t('{0} failed: {1}', model, `${e.code}${detail}`) };
  }
}

const NOTHING: Partial<Usage> = { inputTokens: 0, outputTokens: 0 };

async function run(ctx: AdapterContext): Promise<Finish | undefined> {
  const req = ctx.request;
  const cts = new vscode.CancellationTokenSource();
  const onAbort = () => cts.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const refused = (error: ProviderError): Finish => {
      // Refused before anything was sent: nothing is spent.
      ctx.emit({ type: 'usage', usage: NOTHING, source: 'model' });
      ctx.emit({ type: 'error', error });
      return { raw: 'error', reason: 'error', truncated: false };
    };
    let model: vscode.LanguageModelChat;
    try {
      model = await resolveModel(req.model);
    } catch (e) {
      return refused({ kind: 'bad_request', message: e instanceof Error ? e.message : String(e) });
    }
    const messages = lmMessages(req);
    let response: vscode.LanguageModelChatResponse;
    try {
      response = await model.sendRequest(messages, { justification: vscode.l10n.t('Lengthwise sends the text you selected, with your length and cost settings.') }, cts.token);
    } catch (e) {
      const err = lmError(e, req.model);
      if (!err) throw e;
      return refused(err);
    }
    ctx.started();
    const guard = new OutputGuard({ maxTokens: req.maxTokens, stop: req.stop, countModel: async (t) => model.countTokens(t, cts.token), tokenizer: await loadTokenizer('o200k_base') });
    let finish: Finish = mapFinish('vscode-lm', 'end');
    for await (const piece of response.text) {
      const pause = ctx.pace();
      if (pause) await pause;
      const step = await guard.push(piece);
      ctx.text(step.emit);
      if (step.stop) {
        finish = step.stop.kind === 'length' ? mapFinish('vscode-lm', 'max_tokens') : mapFinish('vscode-lm', 'stop_sequence', step.stop.sequence);
        cts.cancel(); // the model is told to stop: no more of the answer is generated
        break;
      }
    }
    ctx.text(guard.flush());
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
