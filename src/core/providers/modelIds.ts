// How providers and routers name the same model: routing prefixes, snapshot dates, -latest, Vertex "@date",
// OpenRouter's dotted Claude versions. The catalog lookup and the profiles' guesses read ids through these.

/** Removes routing prefixes that are not part of the model id: Gemini `models/`, OpenRouter-style `vendor/`. */
export function stripPrefixes(id: string): string {
  let s = id;
  if (s.startsWith('models/')) s = s.slice('models/'.length);
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  return s;
}

/** Candidate catalog ids for a configured id: itself, then without snapshot dates / -latest / -preview dates. */
export function idCandidates(model: string): string[] {
  const out: string[] = [];
  const push = (s: string) => {
    if (s && !out.includes(s)) out.push(s);
  };
  let id = stripPrefixes(model.trim().toLowerCase());
  push(id);
  // Vertex style "claude-sonnet-4-5@20250929"
  id = id.replace(/@\d{8}$/, '');
  push(id);
  // OpenRouter style "claude-sonnet-4.5" → "claude-sonnet-4-5"; "claude-3.7-sonnet" → "claude-3-7-sonnet"
  if (id.startsWith('claude')) {
    id = id.replace(/(\d)\.(\d)/g, '$1-$2');
    push(id);
  }
  for (let i = 0; i < 3; i++) {
    const before = id;
    id = id
      .replace(/-latest$/, '')
      .replace(/-\d{4}-\d{2}-\d{2}$/, '') // OpenAI snapshot gpt-4o-2024-08-06
      .replace(/-\d{8}$/, '') // Anthropic snapshot claude-sonnet-4-5-20250929
      .replace(/-preview-\d{2}-\d{2,4}$/, '') // Gemini gemini-2.5-flash-preview-09-2025, -preview-05-06
      .replace(/-\d{3}$/, ''); // Gemini gemini-2.0-flash-001
    push(id);
    if (id === before) break;
  }
  return out;
}

/** The entry of `table` for `model` by the first of its idCandidates the table has (exact id first), with that id. */
export function entryForModel<T>(table: Readonly<Record<string, T>>, model: string): { id: string; value: T } | undefined {
  for (const id of idCandidates(model)) if (Object.hasOwn(table, id)) return { id, value: table[id] };
  return undefined;
}
