// The one approval gate in front of every network call that carries an API key: a workspace (not the user)
// pointing the key at a host other than the provider's official one is asked about once per workspace and endpoint.
// A loopback endpoint (the text and key stay on this machine) and a request without a key are not asked about.
import * as vscode from 'vscode';
import { RefusedError } from '../../core/generation/summary';
import { classifyEndpoint, endpointQuestion } from '../../core/protocol/endpoints';
import { isLoopbackUrl } from '../../core/protocol/loopback';
import type { LengthwiseSettings } from '../../core/settings/settings';
import type { EndpointScope } from '../config/configuration';

export type { EndpointScope } from '../config/configuration';

/** What the question's detail says about who chose the endpoint (translated when asked). */
const CHOSEN_BY: Partial<Record<EndpointScope, () => string>> = {
  workspace: () => vscode.l10n.t('Set by this workspace (.vscode/settings.json: lengthwise.baseUrl, or a preset defined there).'),
  caller: () => vscode.l10n.t("Passed in lengthwise.send's arguments by another extension or a task, not by your settings."),
};

export class EndpointGate {
  constructor(private readonly workspaceState: vscode.Memento) {}

  /**
   * Resolves when requests for `settings` may go out; rejects with RefusedError('declined') when the user says no.
   * Call it before any request with the key: send, continue, count, and anything new that talks to the provider.
   * Asked when someone other than the user chose an endpoint that is not the provider's own over https:
   * (core/protocol/endpoints.ts says which is); the question names the host the URL parser sees. `key`: the key the
   * request carries and whose it is ('' when none: an OpenAI-compatible server without auth, never asked about).
   */
  async approve(settings: Pick<LengthwiseSettings, 'provider' | 'baseUrl'>, scope: EndpointScope, key: { key: string; label: string }): Promise<void> {
    const keyLabel = key.label;
    const chosenBy = CHOSEN_BY[scope];
    if (!chosenBy || key.key === '' || isLoopbackUrl(settings.baseUrl)) return;
    const verdict = classifyEndpoint(settings.provider, settings.baseUrl);
    if (verdict.kind !== 'other') return; // the SDK's own endpoint, the official host, or refused by validation
    const k = `lengthwise.endpointApproved:${settings.provider}:${settings.baseUrl}`;
    if (this.workspaceState.get<boolean>(k)) return;
    const send = vscode.l10n.t('Send');
    const choice = await vscode.window.showWarningMessage(
      endpointQuestion(settings.provider, settings.baseUrl, verdict, keyLabel),
      { modal: true, detail: vscode.l10n.t('{0} Lengthwise asks once per workspace and endpoint.', chosenBy()) },
      send,
    );
    if (choice !== send) {
      throw new RefusedError(
        scope === 'caller'
          ? vscode.l10n.t('Not sent: you declined the requested endpoint {0} ({1}).', verdict.host, settings.baseUrl)
          : vscode.l10n.t('Not sent: you declined the workspace endpoint {0} ({1}).', verdict.host, settings.baseUrl),
        'declined',
      );
    }
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
  const exportThere = vscode.l10n.t('Export');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t("This workspace's settings export your Lengthwise spend (token counts, cost, model and preset names — no text, no keys) and your collector headers to {0}. Export there?", endpoint),
    { modal: true, detail: vscode.l10n.t('Set by .vscode/settings.json (lengthwise.telemetry.otlpEndpoint). Lengthwise asks once per workspace and endpoint.') },
    exportThere,
  );
  if (choice !== exportThere) return false; // asked again when the window reopens or a telemetry setting changes
  await workspaceState.update(k, true);
  return true;
}
