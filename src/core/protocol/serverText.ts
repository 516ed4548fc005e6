// Text a server wrote (error bodies, finish reasons, model ids) on its way to a notification or a log: bounded,
// without link syntax (notifications render [label](target) as a link, command: targets included), and without
// the key in use even when the server echoes it back.

/** Longest server text shown in a message; the log has the same bound (a 2 MB error body helps nobody). */
export const MAX_SERVER_TEXT = 500;

/** `secret`: the key of this request, removed wherever it appears; key-like tokens are shortened too. */
export function serverText(text: string, secret?: string, max = MAX_SERVER_TEXT): string {
  // Bounded before any pattern runs, with room for redaction to see a whole key across the final cut.
  let t = text.length > max * 4 ? text.slice(0, max * 4) : text;
  t = redact(t, secret);
  t = t
    .replace(/[\u0000-\u001f\u007f]+/g, ' ') // line breaks would start new Markdown blocks
    .replace(/[[\]<>]/g, ''); // no [label](target), ![image](src) or <autolink>
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Never let anything that looks like a key reach a message or a log. */
function redact(text: string, secret?: string): string {
  let t = text;
  if (secret && secret.length >= 8) t = t.split(secret).join('(your key)');
  return t
    .replace(/\b(sk-[A-Za-z0-9_-]{6})[A-Za-z0-9_-]{6,}/g, '$1…')
    .replace(/\b(AIza[0-9A-Za-z_-]{4})[0-9A-Za-z_-]{10,}/g, '$1…')
    .replace(/([?&]key=)[^&\s]+/g, '$1…');
}
