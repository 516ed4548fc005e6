// Text a server wrote (error bodies, finish reasons, model ids) on its way to a notification or a log: bounded,
// without link syntax (notifications render [label](target) as a link, command: targets included), and without
// the key in use even when the server echoes it back.

/** Longest server text shown in a message; the log has the same bound (a 2 MB error body helps nobody). */
export const MAX_SERVER_TEXT = 500;

/** `secret`: the key of this request, removed wherever it appears; key-like tokens are shortened too. */
export function serverText(text: string, secret?: string, max = MAX_SERVER_TEXT): string {
  // Bounded before any pattern runs, with room for redaction to see a whole key across the final cut.
  let t = text.length > max * 4 ? text.slice(0, max * 4) : text;
  t = redact(t.replace(ANSI_CSI, ''), secret);
  t = t
    .replace(/[\u0000-\u001f\u007f]+/g, ' ') // line breaks would start new Markdown blocks
    .replace(/[[\]<>]/g, ''); // no [label](target), ![image](src) or <autolink>
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A terminal's colour and cursor codes ("\u001b[0m"): never meant to be read. */
const ANSI_CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
/** What a message does not show: controls, format characters (zero-width space, soft hyphen, direction marks), line and paragraph separators. */
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u;
/** Key-like tokens and how many of their first characters stay (the kind of key is still told). */
const KEY_SHAPES: [RegExp, number][] = [
  [/\bsk-[A-Za-z0-9_-]{12,}/g, 9],
  [/\bAIza[0-9A-Za-z_-]{14,}/g, 8],
  [/[?&]key=[^&\s]+/g, 5],
];

/**
 * Never let anything that looks like a key reach a message or a log. Keys are looked for in the text with its
 * invisible characters taken out, so a key echoed with one inside ("sk-proj-ABCD\u0007EFGH…") is still found;
 * what is cut is the same stretch of the text as written (its line breaks elsewhere stay).
 */
function redact(text: string, secret?: string): string {
  const at: number[] = []; // at[i]: where seen[i] is in text
  let seen = '';
  let i = 0;
  for (const ch of text) {
    if (!INVISIBLE.test(ch)) {
      at.push(i);
      if (ch.length === 2) at.push(i + 1);
      seen += ch;
    }
    i += ch.length;
  }
  const cuts: { from: number; to: number; by: string }[] = [];
  if (secret && secret.length >= 8) {
    for (let k = seen.indexOf(secret); k >= 0; k = seen.indexOf(secret, k + secret.length)) cuts.push({ from: k, to: k + secret.length, by: '(your key)' });
  }
  const own = cuts.length;
  for (const [re, keep] of KEY_SHAPES) {
    for (const m of seen.matchAll(re)) {
      const from = m.index + keep;
      const to = m.index + m[0].length;
      if (!cuts.slice(0, own).some((c) => c.from < to && from < c.to)) cuts.push({ from, to, by: '…' });
    }
  }
  if (!cuts.length) return text;
  // Overlapping cuts ("?key=sk-…") become one; applied from the end, so earlier positions stay valid.
  const merged: typeof cuts = [];
  for (const c of cuts.sort((a, b) => a.from - b.from)) {
    const last = merged.at(-1);
    if (last && c.from < last.to) last.to = Math.max(last.to, c.to);
    else merged.push({ ...c });
  }
  let out = text;
  for (const c of merged.reverse()) out = out.slice(0, at[c.from]) + c.by + out.slice(at[c.to - 1]! + 1);
  return out;
}
