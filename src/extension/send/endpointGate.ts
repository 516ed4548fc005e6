// The one approval gate in front of every network call that carries an API key: a workspace (not the user)
// pointing the key at a host other than the provider's official one is asked about once per workspace and endpoint.
import * as vscode from 'vscode';
import { RefusedError } from '../../core/generation/summary';
import { providerLabel, type ProviderId } from '../../core/protocol/request';
import type { LengthwiseSettings } from '../../core/settings/settings';
import type { ConfigRead } from '../config/configuration';

const PROVIDER_HOSTS: Record<ProviderId, RegExp | undefined> = {
  openai: /(^|\.)openai\.com$/,
  anthropic: /(^|\.)anthropic\.com$/,
  gemini: /(^|\.)googleapis\.com$/,
  'openai-compatible': undefined,
};

/** Where the effective baseUrl was set (see endpointScope in config/configuration.ts). */
export type EndpointScope = ConfigRead['baseUrlScope'];

export class EndpointGate {
  constructor(private readonly workspaceState: vscode.Memento) {}

  /**
   * Resolves when requests for `settings` may go out; rejects with RefusedError('declined') when the user says no.
   * Call it before any request with the key: send, continue, count, and anything new that talks to the provider.
   */
  async approve(settings: Pick<LengthwiseSettings, 'provider' | 'baseUrl'>, scope: EndpointScope): Promise<void> {
    if (!needsApproval(settings, scope)) return;
    const k = `lengthwise.endpointApproved:${settings.provider}:${settings.baseUrl}`;
    if (this.workspaceState.get<boolean>(k)) return;
    const choice = await vscode.window.showWarningMessage(
      `This workspace's settings send your ${providerLabel(settings.provider)} requests and API key to ${settings.baseUrl}. Send them there?`,
      { modal: true, detail: 'Set by .vscode/settings.json (lengthwise.baseUrl). Lengthwise asks once per workspace and endpoint.' },
      'Send',
    );
    if (choice !== 'Send') throw new RefusedError(`Not sent: you declined the workspace endpoint ${settings.baseUrl}.`, 'declined');
    await this.workspaceState.update(k, true);
  }

  /** The team spend export's collector (see approveCollector). */
  approveCollector(endpoint: string, scope: EndpointScope): Promise<boolean> {
    return approveCollector(this.workspaceState, endpoint, scope);
  }
}

/**
 * The same gate for the team spend export: a collector set by the workspace (not the user) is asked about once per
 * workspace and endpoint before anything is exported there. Resolves false when the user says no.
 */
async function approveCollector(workspaceState: vscode.Memento, endpoint: string, scope: EndpointScope): Promise<boolean> {
  if (scope !== 'workspace') return true;
  const k = `lengthwise.collectorApproved:${endpoint}`;
  if (workspaceState.get<boolean>(k)) return true;
  const choice = await vscode.window.showWarningMessage(
    `This workspace's settings export your Lengthwise spend (token counts, cost, model and preset names — no text, no keys) and your collector headers to ${endpoint}. Export there?`,
    { modal: true, detail: 'Set by .vscode/settings.json (lengthwise.telemetry.otlpEndpoint). Lengthwise asks once per workspace and endpoint.' },
    'Export',
  );
  if (choice !== 'Export') return false; // asked again when the window reopens or a telemetry setting changes
  await workspaceState.update(k, true);
  return true;
}

/** Only a workspace-set baseUrl off the provider's official host needs the question. */
function needsApproval(s: Pick<LengthwiseSettings, 'provider' | 'baseUrl'>, scope: EndpointScope): boolean {
  if (scope !== 'workspace' || !s.baseUrl) return false;
  let host: string;
  try {
    host = new URL(s.baseUrl).hostname;
  } catch {
    return false; // validation already refused malformed URLs
  }
  return !PROVIDER_HOSTS[s.provider]?.test(host);
}
