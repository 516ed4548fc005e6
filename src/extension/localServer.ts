// Lengthwise: Use a Local Server — set up a model server on this machine in one step: look at the usual ports
// (Ollama 11434, llama-server 8080, LM Studio 1234, vLLM 8000) or take an address; read the server's model list
// (with the key stored for the OpenAI-compatible server, through the door); set provider, base URL and model
// together (a pick when there are several); say what was found: the server, its models, its window, how input is
// counted and what it costs. With `{ baseUrl }` (and optionally `model`) it asks nothing when one model is served.
import * as vscode from 'vscode';
import { ESTIMATE_MARGIN } from '../core/generation/jobs/fitParts';
import { kindByPort, LOCAL_SERVER_PORTS, serverBaseUrl, serverName } from '../core/models/localServers';
import { tokenizes } from '../core/models/serverTokens';
import type { ServerKind } from '../core/models/discovery';
import { priceFor } from '../core/pricing/cost';
import { isPlainObject } from '../core/protocol/guards';
import { providerLabel } from '../core/providers';
import { listServer, type LimitDiscovery, type ServerOutcome } from '../providers/discovery';
import type { Configuration } from './config/configuration';
import type { Door } from './door/door';

export interface LocalServerDeps {
  config: Configuration;
  door: Door;
  discovery: LimitDiscovery;
  log: vscode.LogOutputChannel;
}

/** What the command set up (also its result, for the walkthrough's tests and other extensions). */
export interface LocalServerChoice {
  baseUrl: string;
  model: string;
  server?: ServerKind;
  models: string[];
  contextWindow?: number;
  /** Input is counted by the server's own tokenizer. */
  tokenizer: boolean;
  /** Where the settings were written. */
  target: 'user' | 'workspace';
}

const PROVIDER = 'openai-compatible' as const;
/** A local server answers its model list in milliseconds; one that takes longer is not the one being looked for. */
const PROBE_MS = 1500;

/** The ports looked at (tests point it at their own servers: testHooks.ts). */
let ports = LOCAL_SERVER_PORTS.map((p) => p.port);
export function lookAtPorts(list: number[] | undefined): void {
  ports = list?.length ? list : LOCAL_SERVER_PORTS.map((p) => p.port);
}

type Found = ServerOutcome & { baseUrl: string };

export async function useLocalServer(d: LocalServerDeps, arg?: unknown): Promise<LocalServerChoice | undefined> {
  const given = isPlainObject(arg) ? { baseUrl: typeof arg.baseUrl === 'string' ? arg.baseUrl : undefined, model: typeof arg.model === 'string' ? arg.model : undefined } : {};
  let candidates: string[];
  if (given.baseUrl !== undefined) {
    const u = serverBaseUrl(given.baseUrl);
    if ('error' in u) return refuse(vscode.l10n.t('Lengthwise: {0}.', u.error));
    candidates = [u.baseUrl];
  } else candidates = ports.map((p) => `http://127.0.0.1:${p}/v1`);
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Lengthwise: looking for a local server…') }, () => Promise.all(candidates.map((u) => look(d, u))));
  const serving = found.filter((f) => f.models?.length);
  if (!serving.length) return nothingFound(d, found, given);
  const server = serving.length === 1 ? serving[0]! : await pickServer(serving);
  if (!server) return undefined;
  const models = server.models!;
  const model = given.model && models.includes(given.model) ? given.model : models.length === 1 ? models[0]! : await pickModel(server, given.model);
  if (!model) return undefined;
  return setUp(d, server, model);
}

/** One address: its model list, asked with the key stored for the compatible server (none: asked without). */
async function look(d: LocalServerDeps, baseUrl: string): Promise<Found> {
  const { key } = await d.door.authorize({ settings: { provider: PROVIDER, baseUrl, model: '' }, scope: 'user', key: 'optional' });
  const o = await listServer(baseUrl, { key, timeoutMs: PROBE_MS });
  d.log.info(`local server at ${baseUrl}: ${o.models ? `${o.models.length} models (${o.kind ?? 'server unknown'})` : o.refused ? `refused ${o.refused.status}` : o.reachable ? 'no model list' : 'nothing answered'}`);
  return { ...o, baseUrl };
}

async function nothingFound(d: LocalServerDeps, found: Found[], given: { baseUrl?: string; model?: string }): Promise<LocalServerChoice | undefined> {
  const refused = found.find((f) => f.refused);
  if (refused) {
    const msg = refused.refused!.keySent
      ? vscode.l10n.t('Lengthwise: the server at {0} refused the stored {1} key ({2}). Store the key it expects with Set API Key → {1}, then run Use a Local Server again.', refused.baseUrl, providerLabel(PROVIDER), refused.refused!.status)
      : vscode.l10n.t('Lengthwise: the server at {0} wants an API key ({1}). Store it with Set API Key → {2}, then run Use a Local Server again.', refused.baseUrl, refused.refused!.status, providerLabel(PROVIDER));
    const setKey = vscode.l10n.t('Set API Key');
    void vscode.window.showErrorMessage(msg, setKey).then((a) => {
      if (a === setKey) void vscode.commands.executeCommand('lengthwise.setApiKey', PROVIDER);
    });
    return undefined;
  }
  if (given.baseUrl !== undefined) {
    const why = found[0]?.reachable ? vscode.l10n.t('it answered, but not with a model list') : vscode.l10n.t('nothing answered there');
    return refuse(vscode.l10n.t('Lengthwise: no model server at {0} ({1}). Is it running?', found[0]?.baseUrl ?? given.baseUrl, why));
  }
  const usual = LOCAL_SERVER_PORTS.map((p) => `${p.port} (${serverName(p.kind)})`).join(', ');
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Lengthwise: Use a Local Server'),
    prompt: vscode.l10n.t('No server answered on {0}. Its address:', usual),
    value: 'http://127.0.0.1:8080/v1',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const u = serverBaseUrl(v);
      return 'error' in u ? u.error : undefined;
    },
  });
  return typed === undefined ? undefined : useLocalServer(d, { baseUrl: typed, model: given.model });
}

async function pickServer(serving: Found[]): Promise<Found | undefined> {
  const items = serving.map((f) => ({ label: nameOf(f), description: f.baseUrl, detail: vscode.l10n.t('{0} models: {1}', f.models!.length, f.models!.slice(0, 8).join(', ')), f }));
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Lengthwise: which local server?') }))?.f;
}

async function pickModel(f: Found, wanted: string | undefined): Promise<string | undefined> {
  const placeHolder = wanted ? vscode.l10n.t('{0} does not serve "{1}"; pick one of its models', nameOf(f), wanted) : vscode.l10n.t('{0} serves {1} models', nameOf(f), f.models!.length);
  return vscode.window.showQuickPick(f.models!, { title: vscode.l10n.t('Lengthwise: which model?'), placeHolder });
}

function nameOf(f: Found): string {
  if (f.kind) return serverName(f.kind);
  const guess = kindByPort(f.baseUrl);
  return guess ? vscode.l10n.t('probably {0} (its usual port)', serverName(guess)) : vscode.l10n.t('an OpenAI-compatible server');
}

/** Writes the settings, reads the model's window (with the key), and says what was set up. */
async function setUp(d: LocalServerDeps, f: Found, model: string): Promise<LocalServerChoice> {
  const scope = vscode.window.activeTextEditor?.document.uri;
  const target = await d.config.useServer({ provider: PROVIDER, baseUrl: f.baseUrl, model }, scope);
  const { key } = await d.door.authorize({ settings: { provider: PROVIDER, baseUrl: f.baseUrl, model }, scope: 'user', key: 'optional' });
  d.discovery.forget(f.baseUrl, model);
  const outcome = await d.discovery.outcomeFor(f.baseUrl, model, key);
  const kind = f.kind ?? outcome?.kind;
  const choice: LocalServerChoice = { baseUrl: f.baseUrl, model, models: f.models!, tokenizer: tokenizes(kind), target };
  if (kind) choice.server = kind;
  if (outcome?.limits?.contextWindow !== undefined) choice.contextWindow = outcome.limits.contextWindow;
  const message = vscode.l10n.t('Lengthwise: using {0} at {1} — model {2} ({3}); {4}; {5}; {6}.', nameOf({ ...f, kind }), f.baseUrl, model, servedText(f.models!), windowText(choice, outcome), countText(kind), costText(f.baseUrl, model, d.config, scope));
  d.log.info(`${message} (settings written to the ${target} settings)`);
  const overridden = presetOverrides(d.config, scope, choice);
  void vscode.window.showInformationMessage(overridden ? `${message} ${overridden}` : message);
  return choice;
}

function servedText(models: string[]): string {
  return models.length === 1 ? vscode.l10n.t('the only model it serves') : vscode.l10n.t('{0} models served', models.length);
}

function windowText(c: LocalServerChoice, o: ServerOutcome | undefined): string {
  if (c.contextWindow !== undefined) return vscode.l10n.t('context window {0} tokens ({1})', c.contextWindow.toLocaleString('en-US'), o?.limits?.source ?? '');
  return vscode.l10n.t('its context window is not reported: set it in lengthwise.models to have large input split');
}

function countText(kind: ServerKind | undefined): string {
  return tokenizes(kind) ? vscode.l10n.t('input counted by its own tokenizer') : vscode.l10n.t('input counted with a local estimate (its tokenizer has no endpoint; jobs keep {0}% free)', Math.round(ESTIMATE_MARGIN * 100));
}

function costText(baseUrl: string, model: string, config: Configuration, scope: vscode.Uri | undefined): string {
  const price = priceFor({ ...config.resolve(scope).resolved.settings, provider: PROVIDER, baseUrl, model });
  if (price?.local) return vscode.l10n.t('requests cost $0 (local)');
  return price ? vscode.l10n.t('priced from {0}', price.source) : vscode.l10n.t('price unknown until lengthwise.pricing names it');
}

/** An active preset that sets the provider, address or model wins over what was just written: said, not hidden. */
function presetOverrides(config: Configuration, scope: vscode.Uri | undefined, c: LocalServerChoice): string | undefined {
  const { resolved } = config.resolve(scope);
  const s = resolved.settings;
  if (s.provider === PROVIDER && s.baseUrl === c.baseUrl && s.model === c.model) return undefined;
  return vscode.l10n.t('The active preset "{0}" sets its own provider, address or model, which win while it is active (Select Preset → No preset).', resolved.presetName ?? '');
}

function refuse(message: string): undefined {
  void vscode.window.showErrorMessage(message);
  return undefined;
}
