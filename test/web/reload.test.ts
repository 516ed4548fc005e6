// The ledger survives a window reload: phase 1 sends and asks the harness to reload the page (the extension host
// goes away with it); the suite then runs again in a new extension host, which finds the state file in the
// workspace and runs phase 2 only: the records are read back from the segment files, the totals agree, and the
// extension keeps working. (index.ts registers only this suite in phase 2.)
import * as vscode from 'vscode';
import * as assert from './assert';
import { api, closeAll, harness, ledgerRecords, readJson, resetSettings, sendDoc, setSettings, useLlama, workspaceFile, writeJson } from './util';

interface ReloadState {
  ids: string[];
  workspaceUsd: number;
  records: number;
}

const STATE = '.lengthwise-web-reload.json';
let state: ReloadState | undefined;

/** Read before the suites register: which phase this extension host runs. */
export async function loadReloadState(): Promise<boolean> {
  state = await readJson<ReloadState>(workspaceFile(STATE));
  return state !== undefined;
}

export function registerReload(): void {
  describe('web: the ledger across a window reload', function () {
    this.timeout(60_000);
    if (!state) {
      it('phase 1: two requests are recorded, then the window reloads', async () => {
        await resetSettings();
        await useLlama();
        await setSettings({ maxTokens: 6 });
        const a = await sendDoc('Before the reload, one.');
        const b = await sendDoc('Before the reload, two.');
        const records = await ledgerRecords();
        const ids = records.slice(-2).map((r) => r.id);
        assert.deepEqual(records.slice(-2).map((r) => r.costUsd), [a.r.costUsd, b.r.costUsd]);
        const t = (await api()).totals();
        await writeJson(workspaceFile(STATE), { ids, workspaceUsd: t.workspaceUsd ?? 0, records: records.length } satisfies ReloadState);
        await harness('POST', '/reload');
        await new Promise(() => undefined); // this extension host ends with the page
      });
    } else {
      const s = state;
      it('phase 2: a new extension host reads every record back from the segment files; totals agree; it keeps recording', async () => {
        await vscode.workspace.fs.delete(workspaceFile(STATE));
        const a = await api();
        const records = await ledgerRecords();
        assert.equal(records.length, s.records, 'every record is still there');
        for (const id of s.ids) assert.ok(records.some((r) => r.id === id), `${id} survived the reload`);
        const total = await new Promise<number | null>((resolve) => {
          const end = Date.now() + 10_000;
          const poll = () => {
            const u = a.totals().workspaceUsd;
            if ((u !== null && Math.abs(u - s.workspaceUsd) < 1e-12) || Date.now() > end) resolve(u);
            else setTimeout(poll, 50);
          };
          poll();
        });
        assert.ok(total !== null && Math.abs(total - s.workspaceUsd) < 1e-12, `the workspace total after the reload: ${total} vs ${s.workspaceUsd}`);
        await useLlama({ maxTokens: 3 });
        await sendDoc('After the reload.');
        assert.equal((await ledgerRecords()).length, s.records + 1, 'the new window records in its own segment');
        await closeAll();
        await resetSettings();
      });
    }
  });
}
