// The shared type guards (one home: settings, presets, the ledger reader, the extension's argument checks).

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
