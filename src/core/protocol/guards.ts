// The shared type guards (one home: settings, presets, the ledger reader, the extension's argument checks).

/** A JSON-style object: not null, not an array. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
