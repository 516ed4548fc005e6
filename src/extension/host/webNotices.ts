// What VS Code for the Web cannot do that the desktop can, said once and with the fix: a server that does not
// allow the browser's requests (CORS), a collector likewise. (Environment-variable keys: the door's refusal says
// it, door/door.ts.)
import * as vscode from 'vscode';
import { profileOf, providerLabel } from '../../core/providers';
import type { RunEvents } from '../send/events';
import type { Notifier } from '../send/notifier';

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/** A request that failed to connect before any answer: in a browser, most often a server that does not allow CORS. */
export function webNotices(d: { events: RunEvents; tell: Notifier }): vscode.Disposable[] {
  return [
    d.events.on('finished', (e) => {
      if (e.error?.kind !== 'network' || e.summary.text !== '') return;
      const profile = profileOf(e.settings.provider);
      if (profile.web.cors === 'none') return;
      const origin = originOf(e.settings.baseUrl) ?? (profile.defaultHost ? `https://${profile.defaultHost}` : '');
      d.tell.once(
        `web-cors:"${origin}"`,
        vscode.l10n.t(
          'Lengthwise: {0} at {1} could not be reached from VS Code for the Web. If the server is running, it does not allow requests from this page: a browser reads an answer only when the server allows the page\'s origin (CORS). Fix: {2}',
          providerLabel(e.settings.provider),
          origin,
          profile.web.fix,
        ),
        'warn',
      );
    }),
  ];
}

/** Exports to the team's collector fail: in a browser the collector must allow the page's origin. */
export function collectorNotice(endpoint: string, error: string, tell: Notifier): void {
  tell.once(
    `web-collector:"${endpoint}"`,
    vscode.l10n.t(
      'Lengthwise: the telemetry collector at {0} could not be reached from VS Code for the Web ({1}). A browser sends metrics only to a collector that allows this page\'s origin (CORS: Access-Control-Allow-Origin on the answer and on the preflight): the OpenTelemetry Collector\'s OTLP/HTTP receiver has a cors setting; VictoriaMetrics sends no such header, so put a collector in front of it. Nothing is lost: the totals are sent once an export gets through.',
      endpoint,
      error,
    ),
    'warn',
  );
}
