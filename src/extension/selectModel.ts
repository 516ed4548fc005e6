// Lengthwise: Select Model — a pick of the models for the current provider: VS Code's language models (the live
// list), the models an OpenAI-compatible server lists, or the catalog's for the others. With a name as argument it
// sets that one (scripts, tests). Writes lengthwise.model where it is set now.
import * as vscode from 'vscode';
import { MODEL_CATALOG } from '../core/models/catalog';
import { formatTokens } from '../core/models/models';
import { profileOf, providerLabel } from '../core/providers';
import { listServer } from '../providers/discovery';
import { endpointScope, type Configuration } from './config/configuration';
import type { Door } from './door/door';
import { lmName } from './lm/models';

interface ModelItem extends vscode.QuickPickItem {
  model: string;
}

async function itemsFor(config: Configuration, door: Door): Promise<{ provider: string; items: ModelItem[]; note?: string }> {
  const scope = config.activeScope();
  const { cfg, resolved } = config.resolve(scope);
  const s = resolved.settings;
  const profile = profileOf(s.provider);
  if (profile.transport === 'editor') {
    const models = await vscode.lm.selectChatModels();
    const items = models.map((m) => ({ label: lmName(m), description: m.name, detail: vscode.l10n.t('family {0} · input up to {1} tokens', m.family, formatTokens(m.maxInputTokens)), model: lmName(m) }));
    return { provider: s.provider, items, note: items.length ? undefined : vscode.l10n.t('No VS Code language model is available: install or sign in to an extension that provides one (GitHub Copilot, for example).') };
  }
  if (profile.serverLimits && s.baseUrl) {
    // The server's own list, asked with the key the door hands out for this endpoint.
    const pass = await door.authorize({ settings: s, scope: endpointScope(cfg, resolved.sources.baseUrl), key: 'optional' });
    // Discovery's bounded list request (no SDK: this runs from the palette, and the command's module loads at activation).
    const listed = await listServer(s.baseUrl, { key: pass.key });
    if (listed.models?.length) return { provider: s.provider, items: listed.models.map((id) => ({ label: id, description: s.baseUrl, model: id })) };
    const why = listed.refused ? vscode.l10n.t('it answered {0}', listed.refused.status) : listed.reachable ? vscode.l10n.t('its list was empty or unreadable') : vscode.l10n.t('it did not answer');
    return { provider: s.provider, items: [], note: vscode.l10n.t('{0} did not list its models ({1}): type the model id in lengthwise.model.', s.baseUrl, why) };
  }
  const items = MODEL_CATALOG.filter((m) => profile.serves.includes(m.provider)).map((m) => ({
    label: m.id,
    description: m.displayName,
    detail: vscode.l10n.t('window {0} · output up to {1} · {2}', formatTokens(m.contextWindow), formatTokens(m.maxOutputTokens), m.date),
    model: m.id,
  }));
  return { provider: s.provider, items };
}

/** Resolves to the model set (undefined when cancelled). */
export async function selectModel(config: Configuration, door: Door, name?: string): Promise<string | undefined> {
  const scope = config.activeScope();
  let chosen = name?.trim();
  if (!chosen) {
    const { provider, items, note } = await itemsFor(config, door);
    if (!items.length) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: {0}', note ?? vscode.l10n.t('no models to pick from')));
      return undefined;
    }
    const current = config.resolve(scope).resolved.settings.model;
    const pick = await vscode.window.showQuickPick(
      items.map((i) => ({ ...i, picked: i.model === current })),
      { title: vscode.l10n.t('Lengthwise: Select Model ({0})', providerLabel(provider as Parameters<typeof providerLabel>[0])), placeHolder: vscode.l10n.t('The model Send uses; the current one is {0}', current), matchOnDescription: true, matchOnDetail: true },
    );
    chosen = pick?.model;
  }
  if (!chosen) return undefined;
  await config.storeModel(chosen, scope);
  const after = config.resolve(scope).resolved;
  // A preset that sets its own model wins over lengthwise.model: say so, or the pick seems to do nothing.
  if (after.sources.model?.layer === 'preset' && after.settings.model !== chosen) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: lengthwise.model is now {0}, but the active preset "{1}" sets its own model ({2}), which Send uses.', chosen, after.presetName ?? '', after.settings.model));
  }
  return chosen;
}
