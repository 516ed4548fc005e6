// How lengthwise.model names one of VS Code's language models: "vendor/id" (copilot/gpt-4.1), or a bare id or family
// when it names one model (case-insensitive). Pure: the shell passes the editor's list (vscode.lm.selectChatModels).

export interface LmModelName {
  vendor: string;
  id: string;
  family: string;
}

/** "copilot/gpt-4.1": the name lengthwise.model holds for a VS Code language model. */
export function lmName(m: Pick<LmModelName, 'vendor' | 'id'>): string {
  return `${m.vendor}/${m.id}`;
}

/** The models a name matches: vendor/id exactly, else the bare id, else the family. */
export function matchModels<T extends LmModelName>(all: readonly T[], name: string): T[] {
  const want = name.trim().toLowerCase();
  const exact = all.filter((m) => lmName(m).toLowerCase() === want);
  if (exact.length) return exact;
  const byId = all.filter((m) => m.id.toLowerCase() === want);
  if (byId.length) return byId;
  return all.filter((m) => m.family.toLowerCase() === want);
}
