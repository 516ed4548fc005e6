// API keys: stored in VS Code SecretStorage (the provider's usual environment variable is the fallback). Never
// settings, never logs. The telemetry collector's headers (its API key) are a secret of the same kind. This file
// stores and removes; only the door (door/door.ts through door/keyRead.ts) reads a key.
import * as vscode from 'vscode';
import { PROVIDERS, type ProviderId } from '../core/protocol/request';
import { profileOf, providerLabel } from '../core/providers';
import { parseCollectorHeaders } from '../telemetry/headers';

/** "Set API Key" choice for the headers sent to lengthwise.telemetry.otlpEndpoint. */
export const TELEMETRY_COLLECTOR = 'telemetry' as const;
export const COLLECTOR_SECRET = 'lengthwise.telemetry.headers';
/** Translated where it is shown (vscode.l10n is read at call time, not when the module loads). */
const collectorLabel = () => vscode.l10n.t('Telemetry collector');

export const secretName = (p: ProviderId) => `lengthwise.apiKey.${p}`;

export class KeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** Whether the provider's environment variable is a fallback here (not in VS Code for the Web). */
    readonly environmentKeys: boolean,
  ) {}

  async set(provider: ProviderId, key: string): Promise<void> {
    await this.secrets.store(secretName(provider), key);
  }

  async delete(provider: ProviderId): Promise<void> {
    await this.secrets.delete(secretName(provider));
  }

  async setCollectorHeaders(value: string): Promise<void> {
    if (value.trim() === '') await this.secrets.delete(COLLECTOR_SECRET);
    else await this.secrets.store(COLLECTOR_SECRET, value.trim());
  }
}

/** Password box for the collector's headers; `value` allows scripted use. */
async function setCollectorCommand(store: KeyStore, value?: string): Promise<boolean> {
  const text =
    value ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Lengthwise: {0} headers', collectorLabel()),
      prompt: vscode.l10n.t('Headers for lengthwise.telemetry.otlpEndpoint as name=value pairs separated by commas (e.g. Authorization=Bearer <key>), or a bare token sent as "Authorization: Bearer". Stored in Secret Storage; never in settings or logs. Empty input removes them.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = parseCollectorHeaders(v);
        return r.ok ? undefined : r.message;
      },
    }));
  if (text === undefined) return false;
  const parsed = parseCollectorHeaders(text);
  if (!parsed.ok) throw new Error(parsed.message);
  await store.setCollectorHeaders(text);
  if (value === undefined) {
    void vscode.window.showInformationMessage(
      text.trim() ? vscode.l10n.t('Lengthwise: {0} headers stored in Secret Storage.', collectorLabel()) : vscode.l10n.t('Lengthwise: {0} headers removed.', collectorLabel()),
    );
  }
  return true;
}

/** Quick pick of provider, password box, stored in SecretStorage. Arguments allow scripted use. */
export async function setApiKeyCommand(store: KeyStore, provider?: ProviderId | typeof TELEMETRY_COLLECTOR, key?: string): Promise<boolean> {
  const chosen =
    provider ??
    (
      await vscode.window.showQuickPick(
        [
          ...PROVIDERS.map((p) => {
            const env = store.environmentKeys ? profileOf(p).keyEnv : undefined;
            // Only the variable Lengthwise really reads (an OpenAI-compatible server reads none, the web none at all).
            const description = env ? vscode.l10n.t('fallback: ${0}', env) : vscode.l10n.t('stored key only');
            return { label: providerLabel(p), description, id: p as ProviderId | typeof TELEMETRY_COLLECTOR };
          }),
          { label: collectorLabel(), description: vscode.l10n.t('headers for lengthwise.telemetry.otlpEndpoint'), id: TELEMETRY_COLLECTOR },
        ],
        { title: vscode.l10n.t('Lengthwise: Set API Key'), placeHolder: vscode.l10n.t('Which provider (or the telemetry collector)?') },
      )
    )?.id;
  if (!chosen) return false;
  if (chosen === TELEMETRY_COLLECTOR) return setCollectorCommand(store, key);
  const value =
    key ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('API key for {0}', providerLabel(chosen)),
      prompt: vscode.l10n.t('Stored in VS Code Secret Storage (the OS keychain where available); never in settings or logs. Empty input removes the stored key.'),
      password: true,
      ignoreFocusOut: true,
    }));
  if (value === undefined) return false;
  // Scripted calls (key passed as an argument) stay quiet; a person gets a confirmation.
  const say = (m: string) => key === undefined && void vscode.window.showInformationMessage(m);
  if (value.trim() === '') {
    await store.delete(chosen);
    say(vscode.l10n.t('Lengthwise: removed the stored {0} key.', providerLabel(chosen)));
    return true;
  }
  await store.set(chosen, value.trim());
  say(vscode.l10n.t('Lengthwise: {0} key stored in Secret Storage.', providerLabel(chosen)));
  return true;
}
