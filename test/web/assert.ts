// A small assert for the web pass: the browser's web worker has no node:assert.
export class AssertionError extends Error {}

const show = (v: unknown) => {
  try {
    return JSON.stringify(v)?.slice(0, 400) ?? String(v);
  } catch {
    return String(v);
  }
};

export function ok(value: unknown, message?: string): asserts value {
  if (!value) throw new AssertionError(message ?? `expected a truthy value, got ${show(value)}`);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) throw new AssertionError(`${message ? `${message}: ` : ''}${show(actual)} !== ${show(expected)}`);
}

/** Deep equality of JSON-shaped values (what the tests compare: results, records, lists). */
export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  const canon = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
  if (canon(actual) !== canon(expected)) throw new AssertionError(`${message ? `${message}: ` : ''}${show(actual)} is not ${show(expected)}`);
}

export function match(actual: string, re: RegExp, message?: string): void {
  if (!re.test(actual)) throw new AssertionError(`${message ? `${message}: ` : ''}${show(actual)} does not match ${re}`);
}
