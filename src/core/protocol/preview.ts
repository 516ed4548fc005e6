// A value as a message shows it: bounded whatever the value (a setting, a field a server sent).
const PREVIEW_CHARS = 60;

/**
 * JSON of a value, cut at about `max` characters. Reads only what it shows (three levels, a few entries each), so a
 * value of megabytes or nested thousands of levels deep costs nothing (JSON.stringify would overflow the stack).
 */
export function preview(v: unknown, max = PREVIEW_CHARS): string {
  const out = previewOf(v, 3);
  return out.length > max ? `${out.slice(0, max - 3)}…` : out;
}
function previewOf(v: unknown, depth: number): string {
  if (typeof v === 'string') return JSON.stringify(v.length > PREVIEW_CHARS ? `${v.slice(0, PREVIEW_CHARS)}…` : v);
  if (typeof v !== 'object' || v === null) return typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : typeof v;
  if (depth === 0) return Array.isArray(v) ? '[…]' : '{…}';
  const parts: string[] = [];
  let n = 0;
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    if (n++ === 4) {
      parts.push('…');
      break;
    }
    const item = previewOf((v as Record<string, unknown>)[key], depth - 1);
    parts.push(Array.isArray(v) ? item : `${previewOf(key, 0)}:${item}`);
  }
  return Array.isArray(v) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
}
