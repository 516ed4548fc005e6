// What a run (send or continue) tells the rest of the shell. The controller only emits; the status bar, the
// truncation markers, the dashboard, the log and the notifications subscribe (see extension.ts).
import * as vscode from 'vscode';
import type { MeterSnapshot } from '../../core/generation/meter';
import type { ChainState, RoundResult } from '../../core/generation/pipeline';
import type { ResultSummary } from '../../core/generation/summary';
import type { GenerationRequest, ProviderEvent, ProviderId } from '../../core/protocol/request';
import type { LengthwiseSettings } from '../../core/settings/settings';
import type { DoneInfo, TooltipInfo } from '../../core/views/statusText';
import type { AnchoredInserter } from '../editorStream';
import type { EndpointScope } from '../config/configuration';

interface RunRef {
  /** Unique per run (one send, or one continue of a chain). */
  runId: string;
}

/** @public */
export interface RunStarted extends RunRef {
  kind: 'send' | 'continue';
  settings: LengthwiseSettings;
  /** Why max tokens is lower than set ("budget cap"), shown beside the live count. */
  cap?: string;
  /** The live numbers (tokens so far, cost so far, tok/s); cheap, read it when drawing. */
  snapshot: () => MeterSnapshot;
}

/**
 * The SDK waits before retrying (429 / 5xx). Only retries are announced: the stream's other events stay on the
 * pipeline's path, where the status bar reads the live numbers when it redraws. @public
 */
export interface RunRetry extends RunRef {
  provider: ProviderId;
  retry: Extract<ProviderEvent, { type: 'retry' }>;
}

/** A request is about to go out (round 1 of a send, or a continuation round). @public */
export interface RunRequest extends RunRef {
  request: GenerationRequest;
  round: number;
}

/** A round has ended (its ledger record is written). @public */
export interface RunRound extends RunRef {
  result: RoundResult;
  round: number;
}

/** The run has ended with a summary (also when the provider failed: then `summary.error` is set). */
export interface RunFinished extends RunRef {
  summary: ResultSummary;
  settings: LengthwiseSettings;
  presetName?: string;
  /** Where the endpoint was set (a continuation asks the endpoint gate with it). */
  endpointScope: EndpointScope;
  /** The chain as it ends, its text so far read from the document. */
  chain: ChainState;
  /** Set when the answer was cut: the marker's text ("Response truncated at max tokens (16/16) — Continue?"). */
  truncationMessage?: string;
  /** Set when a round added nothing new and the chain stopped: what happened, what it cost, what to do. */
  noProgress?: string;
  /** Set when the cut answer can be continued in place: its document and the inserter that owns its range. */
  marker?: { document: vscode.TextDocument; inserter: AnchoredInserter };
  /** For the status bar: the finished numbers and the tooltip. */
  done: DoneInfo;
  tooltip: TooltipInfo;
  /** The provider's error, if the run ended with one (cancellation included). */
  error?: NonNullable<RoundResult['error']>;
  /** Notes for the log (document closed, continuation stopped …). */
  notes: string[];
  /** The send as asked for, when a retry at the standard tier can repeat it (the provider refused the tier). */
  retry?: { text: string; preset?: string; overrides?: Record<string, unknown> };
}

/** The run threw before it could report a summary (an unexpected failure, not a provider error). @public */
export interface RunFailed extends RunRef {
  error: unknown;
}

/** A job of many requests has ended (live chunks or summarize-first, or a batch that landed): its records are in the ledger. @public */
export interface JobFinished {
  summary: ResultSummary;
}

/** A live job's progress ("chunk 7/12 · $0.031 so far"); `text` undefined: the job has ended, whatever the outcome. @public */
export interface JobProgressEvent {
  runId: string;
  text?: string;
}

export interface RunEventMap {
  started: RunStarted;
  retry: RunRetry;
  request: RunRequest;
  round: RunRound;
  finished: RunFinished;
  failed: RunFailed;
  job: JobFinished;
  jobProgress: JobProgressEvent;
}

export type RunEventName = keyof RunEventMap;

/** One emitter per event name; `on(name, listener)` returns a Disposable. */
export class RunEvents implements vscode.Disposable {
  private readonly emitters: { [K in RunEventName]: vscode.EventEmitter<RunEventMap[K]> } = {
    started: new vscode.EventEmitter(),
    retry: new vscode.EventEmitter(),
    request: new vscode.EventEmitter(),
    round: new vscode.EventEmitter(),
    finished: new vscode.EventEmitter(),
    failed: new vscode.EventEmitter(),
    job: new vscode.EventEmitter(),
    jobProgress: new vscode.EventEmitter(),
  };

  on<K extends RunEventName>(name: K, listener: (e: RunEventMap[K]) => void): vscode.Disposable {
    return (this.emitters[name] as vscode.EventEmitter<RunEventMap[K]>).event(listener);
  }

  fire<K extends RunEventName>(name: K, e: RunEventMap[K]): void {
    (this.emitters[name] as vscode.EventEmitter<RunEventMap[K]>).fire(e);
  }

  dispose(): void {
    for (const e of Object.values(this.emitters)) e.dispose();
  }
}
