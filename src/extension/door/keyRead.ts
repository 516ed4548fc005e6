// Reading a key: only the door (door.ts) may import this file (.dependency-cruiser.cjs "key-read-only-in-door", and
// test/unit/door.test.ts scans src for any other read). SecretStorage first, then the provider's usual environment
// variable the provider's profile names (an OpenAI-compatible server names none: it never gets the OpenAI key).
import type * as vscode from 'vscode';
import type { ProviderId } from '../../core/protocol/request';
import { profileOf } from '../../core/providers';
import { parseCollectorHeaders } from '../../telemetry/headers';
import { COLLECTOR_SECRET, secretName } from '../secrets';

export interface StoredKey {
  key: string;
  source: 'secret' | 'env';
  /** Whose key it is, for the endpoint question. */
  label: string;
}

/** `environment`: false where there is none to read (VS Code for the Web's extension host has no `process`). */
export async function readKey(secrets: vscode.SecretStorage, provider: ProviderId, environment: boolean): Promise<StoredKey | undefined> {
  const profile = profileOf(provider);
  const stored = await secrets.get(secretName(provider));
  if (stored) return { key: stored, source: 'secret', label: profile.label };
  const env = environment && profile.keyEnv ? process.env[profile.keyEnv] : undefined;
  return env ? { key: env, source: 'env', label: profile.label } : undefined;
}

/** The collector's headers; a stored value that no longer parses yields an error message (never the value). */
export async function readCollectorHeaders(secrets: vscode.SecretStorage): Promise<{ headers: Record<string, string> } | { error: string }> {
  const r = parseCollectorHeaders(await secrets.get(COLLECTOR_SECRET));
  return r.ok ? { headers: r.headers } : { error: r.message };
}
