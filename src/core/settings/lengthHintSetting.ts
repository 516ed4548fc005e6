// The lengthwise.lengthHint setting's own rules: the placeholders a template may use, and what makes a value bad
// (the sentence itself is built in core/generation/lengthHint.ts).

const HINT_PLACEHOLDERS = ['{words}', '{tokens}', '{lines}'] as const;

/** A problem with a lengthHint value, for the settings validation (undefined = fine). */
export function lengthHintProblem(v: string): string | undefined {
  if (v === 'off' || v === 'auto') return undefined;
  if (v.trim() === '') return 'is empty';
  const unknown = v.match(/\{[^{}]*\}/g)?.filter((p) => !(HINT_PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown?.length) return `has the unknown placeholder ${unknown[0]}`;
  if (!HINT_PLACEHOLDERS.some((p) => v.includes(p))) return 'has no placeholder';
  if (/[\r\n]/.test(v)) return 'spans several lines';
  return undefined;
}
