// The shared type guards (one home: settings, presets, the ledger reader, the extension's argument checks).

/** Longest model name kept from a server (ids run to a few dozen characters). */
const MAX_MODEL_NAME = 200;

/** A model name a server sent, when it is one a person could read: printable, trimmed, 1–200 characters. */
export function modelName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  // Any control character (C0, DEL, C1) or line separator: not a model id.
  if (!s || s.length > MAX_MODEL_NAME || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)) return undefined;
  return s;
}

/** A JSON-style object: not null, not an array. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `obj[key]` only when `key` is the object's own: names from settings or servers ("__proto__", "constructor")
 * must not reach Object.prototype.
 */
export function ownValue<T>(obj: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * A JSON value's shape within bounds, without recursion (a value nested thousands of levels deep must give a
 * message, not a stack overflow): 'depth' when nested deeper than maxDepth, 'size' when it has more than maxNodes
 * values in all, else undefined.
 */
export function exceedsShape(v: unknown, maxDepth: number, maxNodes: number): 'depth' | 'size' | undefined {
  const stack: [unknown, number][] = [[v, 0]];
  let nodes = 1;
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (depth >= maxDepth) return 'depth';
    for (const key in x) {
      if (!Object.hasOwn(x, key)) continue;
      if (++nodes > maxNodes) return 'size';
      stack.push([(x as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}
