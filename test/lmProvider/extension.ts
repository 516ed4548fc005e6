// A test fixture, not part of Lengthwise: an extension that serves a language model to VS Code
// (vscode.lm.registerLanguageModelChatProvider, final since VS Code 1.104), backed by the real llama-server the
// editor tests start. Like some real providers, it ignores the output cap (no max_tokens is passed on) and has no
// stop sequences: the tiny model repeats its sentence until the server's context is full, so Lengthwise must hold
// the cap and the stops itself. It counts tokens with the server's own tokenizer (POST /tokenize). The tests
// configure it (lengthwiseTestLm.configure: the server's URL, an error to throw) and read what it saw
// (lengthwiseTestLm.state: requests, cancellations, token counts). Built by esbuild.js --tests, installed into the
// test server's extensions by test/host/run.mjs.
import OpenAI from 'openai';
import * as vscode from 'vscode';

interface State {
  url: string;
  /** Throw this LanguageModelError from the next requests (NoPermissions, Blocked, NotFound). */
  fail: string | undefined;
  requests: { model: string; messages: { role: string; text: string }[]; modelOptions: unknown }[];
  cancelled: number;
  tokenCounts: number;
}

const state: State = { url: '', fail: undefined, requests: [], cancelled: 0, tokenCounts: 0 };

// The 1.104 API is newer than the types this repository builds against: the few shapes used, declared here.
type Part = { value?: unknown };
type RequestMessage = { role: number; content: readonly Part[] };
type Info = { id: string; name: string; family: string; version: string; maxInputTokens: number; maxOutputTokens: number; capabilities: Record<string, boolean> };
const lm = vscode.lm as unknown as {
  registerLanguageModelChatProvider(vendor: string, provider: unknown): vscode.Disposable;
};
const api = vscode as unknown as { LanguageModelTextPart: new (value: string) => unknown; LanguageModelError: Record<string, (m?: string) => Error> };

const MODEL: Info = { id: 'tiny', name: 'Tiny llama (test)', family: 'llama-tiny', version: '1', maxInputTokens: 900, maxOutputTokens: 100_000, capabilities: {} };

const textOf = (m: RequestMessage | string) => (typeof m === 'string' ? m : m.content.map((p) => (typeof p.value === 'string' ? p.value : '')).join(''));

async function tokenize(text: string, token: vscode.CancellationToken): Promise<number> {
  const ac = new AbortController();
  const sub = token.onCancellationRequested(() => ac.abort());
  try {
    const res = await fetch(`${state.url}/tokenize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: text }), signal: ac.signal });
    const body = (await res.json()) as { tokens?: unknown[] };
    return body.tokens?.length ?? 0;
  } finally {
    sub.dispose();
  }
}

const provider = {
  provideLanguageModelChatInformation: () => [MODEL],
  async provideLanguageModelChatResponse(model: Info, messages: readonly RequestMessage[], options: { modelOptions?: unknown }, progress: vscode.Progress<unknown>, token: vscode.CancellationToken) {
    // Roles: 1 User, 2 Assistant (LanguageModelChatMessageRole).
    const msgs = messages.map((m) => ({ role: m.role === 2 ? 'assistant' : 'user', text: textOf(m) }));
    state.requests.push({ model: model.id, messages: msgs, modelOptions: options.modelOptions });
    if (state.fail) throw api.LanguageModelError[state.fail]!(`test: ${state.fail}`);
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => {
      state.cancelled++;
      ac.abort();
    });
    try {
      const client = new OpenAI({ apiKey: 'none', defaultHeaders: { Authorization: null }, baseURL: `${state.url}/v1`, maxRetries: 0 });
      // No max_tokens: this provider ignores the cap, as some do.
      const stream = await client.chat.completions.create({ model: 'tiny', stream: true, messages: msgs.map((m) => ({ role: m.role as 'user' | 'assistant', content: m.text })) }, { signal: ac.signal });
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) progress.report(new api.LanguageModelTextPart(delta));
      }
    } catch (e) {
      if (!token.isCancellationRequested) throw e;
    } finally {
      sub.dispose();
    }
  },
  async provideTokenCount(_model: Info, text: string | RequestMessage, token: vscode.CancellationToken) {
    state.tokenCounts++;
    return tokenize(textOf(text), token);
  },
};

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    lm.registerLanguageModelChatProvider('lengthwise-test', provider),
    vscode.commands.registerCommand('lengthwiseTestLm.configure', (o: { url?: string; fail?: string | null; reset?: boolean }) => {
      if (o.url !== undefined) state.url = o.url;
      if (o.fail !== undefined) state.fail = o.fail ?? undefined;
      if (o.reset) Object.assign(state, { requests: [], cancelled: 0, tokenCounts: 0 });
      return true;
    }),
    vscode.commands.registerCommand('lengthwiseTestLm.state', () => JSON.parse(JSON.stringify(state)) as State),
  );
}
