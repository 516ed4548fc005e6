// "1 request", "2 requests": the one rule for counted nouns in messages (no "request(s)", no "1 answers").

/** `n word` with the plural form when n ≠ 1; `many` for irregular plurals. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${new Intl.NumberFormat('en-US').format(n)} ${n === 1 ? word : many}`;
}
