// The door's questions to the user (modal, translated): an endpoint someone else chose, a workspace's telemetry
// collector, and the plan of a request that multiplies. Each remembered answer is per workspace and endpoint.
import * as vscode from 'vscode';
import { planLine, type MultipliedRequest } from '../../core/generation/jobs/consent';
import { RefusedError } from '../../core/generation/summary';
import { classifyEndpoint, endpointQuestion } from '../../core/providers/endpoints';
import { isLoopbackUrl } from '../../core/protocol/loopback';
import type { ProviderId } from '../../core/protocol/request';
import type { EndpointScope } from '../config/configuration';

/** What the question's detail says about who chose the endpoint (translated when asked). */
const CHOSEN_BY: Partial<Record<EndpointScope, () => string>> = {
  workspace: () => vscode.l10n.t('Set by this workspace (.vscode/settings.json: lengthwise.baseUrl, or a preset defined there).'),
  caller: () => vscode.l10n.t("Passed in lengthwise.send's arguments by another extension or a task, not by your settings."),
};

/**
 * Resolves when requests for `provider` at `baseUrl` may carry `key` there; rejects with RefusedError('declined').
 * Asked when someone other than the user chose an endpoint that is not the provider's own over https:
 * (core/providers/endpoints.ts says which is); the question names the host the URL parser sees. A loopback endpoint
 * (the text and key stay on this machine) and a request without a key are not asked about.
 */
export async function approveEndpoint(state: vscode.Memento, provider: ProviderId, baseUrl: string, scope: EndpointScope, key: { key: string; label: string }): Promise<void> {
  const chosenBy = CHOSEN_BY[scope];
  if (!chosenBy || key.key === '' || isLoopbackUrl(baseUrl)) return;
  const verdict = classifyEndpoint(provider, baseUrl);
  if (verdict.kind !== 'other') return; // the SDK's own endpoint, the official host, or refused by validation
  const k = `lengthwise.endpointApproved:${provider}:${baseUrl}`;
  if (state.get<boolean>(k)) return;
  const send = vscode.l10n.t('Send');
  const choice = await vscode.window.showWarningMessage(
    endpointQuestion(provider, baseUrl, verdict, key.label),
    { modal: true, detail: vscode.l10n.t('{0} Lengthwise asks once per workspace and endpoint.', chosenBy()) },
    send,
  );
  if (choice !== send) {
    throw new RefusedError(
      scope === 'caller'
        ? vscode.l10n.t('Not sent: you declined the requested endpoint {0} ({1}).', verdict.host, baseUrl)
        : vscode.l10n.t('Not sent: you declined the workspace endpoint {0} ({1}).', verdict.host, baseUrl),
      'declined',
    );
  }
  await state.update(k, true);
}

/**
 * A collector set by the workspace (not the user) is asked about once per workspace and endpoint before anything is
 * exported there. Resolves false when the user says no.
 */
export async function approveCollector(state: vscode.Memento, endpoint: string, scope: EndpointScope): Promise<boolean> {
  if (scope !== 'workspace') return true;
  const k = `lengthwise.collectorApproved:${endpoint}`;
  if (state.get<boolean>(k)) return true;
  const exportThere = vscode.l10n.t('Export');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t("This workspace's settings export your Lengthwise spend (token counts, cost, model and preset names — no text, no keys) and your collector headers to {0}. Export there?", endpoint),
    { modal: true, detail: vscode.l10n.t('Set by .vscode/settings.json (lengthwise.telemetry.otlpEndpoint). Lengthwise asks once per workspace and endpoint.') },
    exportThere,
  );
  if (choice !== exportThere) return false; // asked again when the window reopens or a telemetry setting changes
  await state.update(k, true);
  return true;
}

/** The plan of a request that multiplies, shown every time (never remembered); rejects with RefusedError('declined'). */
export async function approvePlan(plan: MultipliedRequest, why: string): Promise<void> {
  const go = vscode.l10n.t('Send {0} requests', plan.requests);
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Lengthwise: {0}', planLine(plan)),
    { modal: true, detail: vscode.l10n.t('Lengthwise asks before every such job, whatever the settings say: {0}.', why) },
    go,
  );
  if (choice !== go) throw new RefusedError(vscode.l10n.t('Cancelled: you declined the plan ({0}). Nothing was sent.', planLine(plan)), 'declined');
}
