// The collector's headers (usually an API key), kept as one secret: `name=value` pairs separated by commas, the
// format of OTEL_EXPORTER_OTLP_HEADERS, or a bare token for `Authorization: Bearer <token>`.

export type HeaderParse = { ok: true; headers: Record<string, string> } | { ok: false; message: string };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // an HTTP header name (RFC 9110 token)

/** Messages never repeat a value: it is a secret. */
export function parseCollectorHeaders(secret: string | undefined): HeaderParse {
  const text = (secret ?? '').trim();
  if (!text) return { ok: true, headers: {} };
  if (!text.includes('=')) {
    if (/[\s,]/.test(text)) return { ok: false, message: 'the Telemetry collector secret is neither a token nor name=value pairs: use e.g. "Authorization=Bearer <key>" or "api-key=<key>,team=<x>".' };
    return { ok: true, headers: { Authorization: `Bearer ${text}` } };
  }
  const headers: Record<string, string> = {};
  for (const [i, part] of text.split(',').entries()) {
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim();
    let value = at < 0 ? '' : part.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value); // OTEL_EXPORTER_OTLP_HEADERS values are URL-encoded
    } catch {
      // keep the text as written
    }
    if (!TOKEN.test(name) || at < 0 || value === '' || /[\r\n]/.test(value)) {
      return { ok: false, message: `pair ${i + 1} of the Telemetry collector secret is not name=value: use e.g. "Authorization=Bearer <key>" (pairs separated by commas).` };
    }
    headers[name] = value;
  }
  return { ok: true, headers };
}
