// VS Code's language models by the name Lengthwise settings use: "vendor/id" (copilot/gpt-4.1), or a bare id or
// family when it names one model. The list is the editor's (vscode.lm.selectChatModels): Copilot's models and any
// model an extension registers.
import * as vscode from 'vscode';
import { RefusedError } from '../../core/generation/summary';
import type { DiscoveredLimits } from '../../core/models/discovery';
import { lmName, matchModels } from '../../core/models/lmNames';

export { lmName } from '../../core/models/lmNames';

/** The one model `name` names; a clear refusal when none or several do (nothing is sent). */
export async function resolveModel(name: string): Promise<vscode.LanguageModelChat> {
  const all = await vscode.lm.selectChatModels();
  const found = matchModels(all, name);
  if (found.length === 1) return found[0]!;
  if (!found.length) {
    const some = all.slice(0, 8).map(lmName).join(', ');
    throw new RefusedError(
      all.length
        ? vscode.l10n.t('No VS Code language model is named "{0}" (lengthwise.model). Available: {1}. Run "Lengthwise: Select Model". Nothing was sent.', name, some + (all.length > 8 ? ', …' : ''))
        : vscode.l10n.t('No VS Code language model is available for "{0}": install or sign in to an extension that provides one (GitHub Copilot, for example), then run "Lengthwise: Select Model". Nothing was sent.', name),
      'invalid',
    );
  }
  throw new RefusedError(vscode.l10n.t('"{0}" (lengthwise.model) matches {1} VS Code language models: {2}. Write one of them as vendor/id. Nothing was sent.', name, found.length, found.map(lmName).join(', ')), 'invalid');
}

/** The limits a VS Code language model reports: its input limit (no window or output limit is exposed). */
export function lmLimits(m: Pick<vscode.LanguageModelChat, 'maxInputTokens' | 'vendor' | 'id'>): DiscoveredLimits | undefined {
  const n = m.maxInputTokens;
  if (!Number.isInteger(n) || n < 16) return undefined;
  return { maxInputTokens: n, server: 'vscode', source: `VS Code (${lmName(m)}'s maxInputTokens)`, ignored: [] };
}
