// Send as Batch: every selection (multi-cursor), or every chunk of a selection larger than one request, becomes one
// request of a batch at the provider's batch API, priced at batch prices. The same steps as Send, in the same order
// (settings, count and plan, key, endpoint approval, budget), then the batch is submitted and followed by the tracker.
import * as vscode from 'vscode';
import { batchClient } from '../../providers/batch';
import { customIdFor, type BatchItem } from '../../core/generation/jobs/batch';
import { fingerprint, type BatchAnchor, type PendingBatch } from '../../core/generation/jobs/pending';
import { pollDelayMs } from '../../core/generation/jobs/batch';
import { RefusedError } from '../../core/generation/summary';
import type { GenerationRequest } from '../../core/protocol/request';
import { providerLabel } from '../../core/providers/index';
import { batchPrice } from '../../core/pricing/batch';
import { formatUsd, priceFor } from '../../core/pricing/cost';
import { plural } from '../../core/protocol/plural';
import { toProviderError } from '../../providers/errors';
import { endpointScope } from '../config/configuration';
import type { Door } from '../door/door';
import { MAX_JOB_REQUESTS, multipliedOf, tooManyRequests } from '../../core/generation/jobs/consent';
import { planChoices } from '../send/job';
import { jobRoom } from '../../core/generation/jobs/jobPlan';
import type { Preflight, SendOptions } from '../send/preflight';
import type { BatchTracker } from './tracker';
import { recordId } from '../send/ids';

export interface BatchDeps {
  preflight: Preflight;
  door: Door;
  tracker: BatchTracker;
  workspaceId: string;
  log: vscode.LogOutputChannel;
}

/** What `lengthwise.sendBatch` returns once the provider has the batch. */
export interface BatchSubmitted {
  jobId: string;
  batchId: string;
  provider: string;
  model: string;
  requests: number;
  inputTokens: number;
  /** Every input token and the full cap of every request at batch prices; null = price unknown. */
  worstCaseUsd: number | null;
  priceSource?: string;
}

interface Piece {
  text: string;
  anchor: BatchAnchor;
}

/** The selections to send, in document order (the current line when nothing is selected). */
function pieces(editor: vscode.TextEditor): Piece[] {
  const doc = editor.document;
  const uri = doc.uri.toString();
  const sels = editor.selections.filter((s) => !s.isEmpty).sort((a, b) => a.start.compareTo(b.start));
  const ranges: vscode.Range[] = sels.length ? sels : [doc.lineAt(editor.selection.active.line).range];
  return ranges
    .map((r) => {
      const text = doc.getText(r);
      return { text, anchor: { uri, start: doc.offsetAt(r.start), end: doc.offsetAt(r.end), fingerprint: fingerprint(text) } };
    })
    .filter((p) => p.text.trim());
}

export async function sendBatch(d: BatchDeps, opts: Pick<SendOptions, 'preset' | 'overrides'> = {}): Promise<BatchSubmitted> {
  const { preflight } = d;
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new RefusedError(vscode.l10n.t('Open a document and select the text to send as a batch.'), 'no-target');
  const parts = pieces(editor);
  if (!parts.length) throw new RefusedError(vscode.l10n.t('Nothing to send: the selections (or the current line) are empty. Select some text first.'), 'empty');
  const { cfg, resolved, s: asSet } = await preflight.settings(editor, opts);
  // A batch is its own tier, at its own price: lengthwise.serviceTier does not go with its requests.
  const s = asSet.serviceTier === 'standard' ? asSet : { ...asSet, serviceTier: 'standard' as const };
  if (s !== asSet) d.log.info(`batch: lengthwise.serviceTier "${asSet.serviceTier}" is not sent with batch requests (a batch is priced at the batch rates)`);
  const client = batchClient(s.provider);
  if (!client) {
    const msg = vscode.l10n.t('{0} has no batch API Lengthwise can use: Send as Batch works with OpenAI, Anthropic and Gemini (lengthwise.provider). Nothing was sent.', providerLabel(s.provider));
    void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', msg));
    throw new RefusedError(msg, 'invalid');
  }
  // Each selection, or each chunk of one larger than a request: planned, validated and clamped as Send does.
  const requests: { request: GenerationRequest; inputTokens: number; anchor: BatchAnchor }[] = [];
  for (const piece of parts) {
    const counted = await preflight.countInput(s, [{ role: 'user', content: piece.text }]);
    const room = jobRoom(s, counted);
    const chunks = room ? (await planChoices(s, piece.text, counted, room, editor.document.languageId, undefined, (t) => preflight.countOffThread(s, t))).chunks.parts : undefined;
    for (const { text, tokens } of chunks ?? [{ text: piece.text, tokens: 0 }]) {
      // A chunk's text was counted by the split; the plan adds what every request sends around it (system prompt,
      // length hint, framing), as for a Send.
      const c = chunks ? { ...counted, messageTokens: tokens } : counted;
      const { plan, counted: input } = await preflight.plan(s, text, c, resolved, { quiet: requests.length > 0 });
      requests.push({ request: plan.request, inputTokens: input.tokens, anchor: piece.anchor });
    }
  }
  if (requests.length > MAX_JOB_REQUESTS) {
    throw new RefusedError(tooManyRequests(requests.length, vscode.l10n.t('Send fewer or smaller selections as one batch.')), 'invalid');
  }
  const price = batchPrice(priceFor(s), s.provider);
  const plan = multipliedOf('Send as Batch', requests, price);
  // The budget sees the batch's worst case now; its spend enters the ledger when the results arrive.
  const key = await d.door.authorize({ settings: s, scope: endpointScope(cfg, resolved.sources.baseUrl), key: 'required', worstUsd: plan.worstUsd, plan });
  const { hold } = key;
  const worst = plan.worstUsd;
  const jobId = recordId('b');
  const items: BatchItem[] = requests.map((r, i) => ({ customId: customIdFor(jobId, i), request: r.request }));
  let handle;
  try {
    handle = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Lengthwise: submitting a batch of {0} to {1}…', plural(items.length, 'request'), providerLabel(s.provider)) }, () =>
      client.submit(items, { apiKey: key.key, baseUrl: s.baseUrl }),
    );
  } catch (e) {
    // Shown by the command's guard; nothing is pending and nothing was billed.
    throw new Error(vscode.l10n.t('The batch was not submitted: {0}', toProviderError(s.provider, e, false, undefined, key.key).message), { cause: e });
  } finally {
    hold.settle();
  }
  const pending: PendingBatch = {
    v: 1,
    jobId,
    handle,
    anchors: requests.map((r) => r.anchor),
    worstCaseUsd: worst,
    maxTokens: Math.max(...requests.map((r) => r.request.maxTokens)),
    workspace: d.workspaceId,
    polls: 0,
    nextPollAt: Date.now() + pollDelayMs(0),
  };
  if (price) pending.priceSource = price.source;
  if (resolved.presetName) pending.preset = resolved.presetName;
  if (s.output === 'newDocument') pending.toNewDocument = true;
  await d.tracker.add(pending);
  const inputTokens = requests.reduce((a, r) => a + r.inputTokens, 0);
  const msg = vscode.l10n.t('Lengthwise: batch of {0} submitted to {1} ({2}): worst case {3} at batch prices. The answers land after their selections when ready (usually minutes, at most 24 h), also after a reload.', plural(items.length, 'request'), providerLabel(s.provider), s.model, worst === null ? vscode.l10n.t('unknown (no price)') : `≤ ${formatUsd(worst)}`);
  d.log.info(`${msg} batch ${handle.id}, job ${jobId}, ${inputTokens} input tokens; price: ${price?.source ?? 'unknown'}`);
  void vscode.window.showInformationMessage(msg);
  const out: BatchSubmitted = { jobId, batchId: handle.id, provider: s.provider, model: s.model, requests: items.length, inputTokens, worstCaseUsd: worst };
  if (price) out.priceSource = price.source;
  return out;
}
