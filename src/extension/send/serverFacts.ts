// Before a request to a server that reports its own limits (an OpenAI-compatible server): what it says about its
// model, asked with the key the door hands out for that approved endpoint, and the input counted by its own
// tokenizer where it has one. What stands in the way is said once, with the action that fixes it: a server that
// wants a key (401/403 on its model list), a model it does not serve.
import * as vscode from 'vscode';
import type { DiscoveredLimits } from '../../core/models/discovery';
import { tokenizes } from '../../core/models/serverTokens';
import { ESTIMATE_MARGIN } from '../../core/generation/jobs/fitParts';
import type { ChatMessage } from '../../core/protocol/request';
import { asksServer, providerLabel } from '../../core/providers';
import type { LengthwiseSettings } from '../../core/settings/settings';
import type { LimitDiscovery, ServerOutcome } from '../../providers/discovery';
import { ServerTokenizer, type ServerCounts } from '../../providers/serverTokens';
import type { EndpointScope } from '../config/configuration';
import type { Door } from '../door/door';
import type { InputCount } from './preflight';

export interface ServerFacts {
  discovered: DiscoveredLimits | undefined;
  /** The server's own tokenizer, when it has one (with the door's key for it). */
  tokenizer: ServerTokenizer | undefined;
  /** The input as the server counts it (exact), else the local count with the stated margin. */
  counted: InputCount;
}

export interface ServerFactsDeps {
  door: Door;
  discovery: LimitDiscovery;
  counts: ServerCounts;
  log: vscode.LogOutputChannel;
}

/**
 * Undefined for providers that do not ask servers (the official APIs). `forMeter`: the count is of a selection (a
 * Send), so its ratio to the local count is what the meter scales a selection by.
 */
export async function serverFacts(d: ServerFactsDeps, s: LengthwiseSettings, scope: EndpointScope, system: string, messages: ChatMessage[], counted: InputCount, forMeter = true): Promise<ServerFacts | undefined> {
  if (!asksServer(s.provider) || !s.baseUrl) return undefined;
  // Nothing billed, so nothing held: the key (and the endpoint question) only.
  const { key } = await d.door.authorize({ settings: s, scope, key: 'required' });
  const outcome = await d.discovery.outcomeFor(s.baseUrl, s.model, key);
  if (outcome) tellServer(s, outcome, d.log);
  // llama-server tokenizes with the one model it loaded, whatever the id; vLLM needs an id it serves.
  const usable = outcome && tokenizes(outcome.kind) && (outcome.kind === 'llama-server' || outcome.models?.includes(s.model)) ? outcome.kind : undefined;
  const tokenizer = usable ? new ServerTokenizer(usable, s.baseUrl, s.model, key) : undefined;
  const estimate: InputCount = counted.tokenizerExact ? counted : { ...counted, margin: ESTIMATE_MARGIN };
  if (!tokenizer) return { discovered: outcome?.limits, tokenizer, counted: estimate };
  const n = await tokenizer.countChat(system, messages);
  if (n === undefined) {
    d.log.warn(`${tokenizer.label} did not answer: the input is counted with the local estimate (+${ESTIMATE_MARGIN * 100}% for jobs)`);
    return { discovered: outcome?.limits, tokenizer: undefined, counted: estimate };
  }
  if (forMeter) d.counts.note(s.baseUrl, s.model, n / Math.max(1, counted.tokens), tokenizer.label);
  d.log.info(`input: ${n} tokens by ${tokenizer.label} (local estimate ${counted.tokens})`);
  // The server's count covers the system prompt, the messages and its chat template; planning (countedPlan.ts) adds
  // the system prompt and framing to the messages' tokens, so the messages take the rest: a length hint the plan
  // adds is then counted on top of the server's figure.
  const messageTokens = n - (counted.tokens - counted.messageTokens);
  return { discovered: outcome?.limits, tokenizer, counted: { ...counted, tokens: n, messageTokens, exact: true, by: tokenizer.label, local: counted.tokens } };
}

/** Told once per server and cause (VS Code keeps one toast per identical message anyway; the log has each). */
const told = new Set<string>();

function tellServer(s: LengthwiseSettings, o: ServerOutcome, log: vscode.LogOutputChannel): void {
  let host = s.baseUrl;
  try {
    host = new URL(s.baseUrl).host;
  } catch {
    // validation refused an unparsable base URL before this
  }
  const who = providerLabel(s.provider);
  if (o.refused) {
    const msg = o.refused.keySent
      ? vscode.l10n.t('Lengthwise: the server at {0} refused the stored {1} key ({2}) when asked for its model list, so its limits are unknown. Store the key it expects with Set API Key → {1}.', host, who, o.refused.status)
      : vscode.l10n.t('Lengthwise: the server at {0} wants an API key ({1} on its model list) and none is stored for the {2}, so its limits are unknown and the request will be refused. Store its key with Set API Key → {2}.', host, o.refused.status, who);
    return once(`refused:${host}:${o.refused.keySent}`, msg, log, vscode.l10n.t('Set API Key'), () => vscode.commands.executeCommand('lengthwise.setApiKey', s.provider));
  }
  if (o.models && o.models.length && !o.models.includes(s.model)) {
    const served = o.models.slice(0, 5).join(', ') + (o.models.length > 5 ? ', …' : '');
    const msg =
      o.kind === 'llama-server'
        ? vscode.l10n.t('Lengthwise: the server at {0} answers with its one model ({1}) whatever the id: lengthwise.model is "{2}", so the ledger and the prices name a model that did not run. Run "Lengthwise: Use a Local Server", or set lengthwise.model to "{1}".', host, served, s.model)
        : vscode.l10n.t('Lengthwise: the server at {0} does not list the model "{1}" (it serves {2}): its limits cannot be read for it. Run "Lengthwise: Use a Local Server" to pick one, or set lengthwise.model.', host, s.model, served);
    once(`unlisted:${host}:${s.model}`, msg, log, vscode.l10n.t('Use a Local Server'), () => vscode.commands.executeCommand('lengthwise.useLocalServer', { baseUrl: s.baseUrl }));
  }
}

function once(cause: string, message: string, log: vscode.LogOutputChannel, button: string, act: () => Thenable<unknown>): void {
  log.warn(message);
  if (told.has(cause)) return;
  told.add(cause);
  void vscode.window.showWarningMessage(message, button).then((a) => {
    if (a === button) void act();
  });
}
