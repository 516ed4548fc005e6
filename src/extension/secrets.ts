// API keys: VS Code SecretStorage first, then the provider's usual environment variable. Never settings, never logs.
import * as vscode from 'vscode';
import { API_KEY_ENV, PROVIDERS, providerLabel, type ProviderId } from '../core/protocol/request';

const secretName = (p: ProviderId) => `lengthwise.apiKey.${p === 'openai-compatible' ? 'openai-compatible' : p}`;

export class KeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /**
   * The key for `provider`, and whose key it is (`label`, for the endpoint question): an OpenAI-compatible server
   * without its own stored key falls back to the OpenAI key (stored, then OPENAI_API_KEY), and the question says so.
   */
  async get(provider: ProviderId): Promise<{ key: string; source: 'secret' | 'env'; label: string } | undefined> {
    const stored = await this.secrets.get(secretName(provider));
    if (stored) return { key: stored, source: 'secret', label: providerLabel(provider) };
    const fallback = provider === 'openai-compatible' ? ` (no ${providerLabel(provider)} key is stored, so your OpenAI key is used)` : '';
    if (provider === 'openai-compatible') {
      const openai = await this.secrets.get(secretName('openai'));
      if (openai) return { key: openai, source: 'secret', label: `OpenAI${fallback}` };
    }
    const env = process.env[API_KEY_ENV[provider]];
    const label = provider === 'openai-compatible' ? `OpenAI (${API_KEY_ENV[provider]}: no ${providerLabel(provider)} key is stored)` : providerLabel(provider);
    return env ? { key: env, source: 'env', label } : undefined;
  }

  async set(provider: ProviderId, key: string): Promise<void> {
    await this.secrets.store(secretName(provider), key);
  }

  async delete(provider: ProviderId): Promise<void> {
    await this.secrets.delete(secretName(provider));
  }
}

/** Quick pick of provider, password box, stored in SecretStorage. Arguments allow scripted use. */
export async function setApiKeyCommand(store: KeyStore, provider?: ProviderId, key?: string): Promise<boolean> {
  const chosen =
    provider ??
    (
      await vscode.window.showQuickPick(
        PROVIDERS.map((p) => ({ label: providerLabel(p), description: `fallback: $${API_KEY_ENV[p]}`, id: p })),
        { title: 'Lengthwise: Set API Key', placeHolder: 'Which provider?' },
      )
    )?.id;
  if (!chosen) return false;
  const value =
    key ??
    (await vscode.window.showInputBox({
      title: `API key for ${providerLabel(chosen)}`,
      prompt: 'Stored in VS Code Secret Storage (the OS keychain where available); never in settings or logs. Empty input removes the stored key.',
      password: true,
      ignoreFocusOut: true,
    }));
  if (value === undefined) return false;
  // Scripted calls (key passed as an argument) stay quiet; a person gets a confirmation.
  const say = (m: string) => key === undefined && void vscode.window.showInformationMessage(m);
  if (value.trim() === '') {
    await store.delete(chosen);
    say(`Lengthwise: removed the stored ${providerLabel(chosen)} key.`);
    return true;
  }
  await store.set(chosen, value.trim());
  say(`Lengthwise: ${providerLabel(chosen)} key stored in Secret Storage.`);
  return true;
}
