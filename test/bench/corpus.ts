// Deterministic text corpora for the token-counter tests and the core benchmark.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** mulberry32: a small seeded PRNG, so a failing fuzz case can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODE = `export async function fetchUser(id: string): Promise<User | undefined> {
  const res = await fetch(\`https://api.example.com/v1/users/\${encodeURIComponent(id)}?expand=roles\`);
  if (!res.ok) throw new HttpError(res.status, "GET /users failed"); // TODO(jd): retry 429s
  return (await res.json()) as User;
}
\tfor (let i = 0; i < 10_000; i++) { total += arr[i] ** 2 / 3.14159; }
/* block comment */ #include <stdio.h>\r\nint main(void){printf("%d\\n", 42);return 0;}
def __init__(self, x=None):\n    self._x = x or {}\n    return None
SELECT id, name FROM users WHERE created_at >= '2024-01-01' AND name LIKE '%o''brien%';
`;
const PROSE = [
  "It's the user's choice: we'll see what they've decided, and I'd say they're right. DON'T PANIC, it's fine.",
  'The quick brown fox jumps over the lazy dog — twice, in 1999, at 3:45pm; “quoted” and ‘single’ text…',
  'HTTPServerError ABCdef getElementsByTagName XMLHttpRequest iOS macOS ÉCOLE naïve café coöperate',
  'Prices: $1,234.56, 3.5%, 1e-9, 0x1F2E3D4C, #ff00aa, v1.2.3-beta+exp.sha.5114f85, 90\'s, 4th.',
];
const INTL = [
  '日本語の文章です。これはテスト、です！東京都は「首都」である。',
  '中文文本测试，包括标点符号。我们今天去公园散步吧？好的！',
  '한국어 문장도 띄어쓰기가 있습니다. 안녕하세요, 세계!',
  'Привет, мир! Это тест — с пунктуацией. Ёлка и ещё.',
  'مرحبا بالعالم، هذا اختبار. नमस्ते दुनिया, यह परीक्षण है। Γειά σου κόσμε.',
  'e\u0301 a\u0300 n\u0303 combining marks, ﬁ ligature, ½ ² Ⅻ numerals, 𝒜𝒷𝒸 𠀀𠀁 astral letters.',
  '日本語ABCdef日本語 ABC日本語 mixedスクリプト123テスト',
];
const SYMBOLS = [
  '😀👍🏽👨‍👩‍👧‍👦 🇯🇵🇺🇸 ❤️‍🔥 ✨🚀',
  '| col | col |\n| --- | --- |\n|  a  |  b  |',
  '=====\n-----\n***\n```ts\nconst x = 1;\n```\n',
  '<|endoftext|> <|fim_prefix|>x<|fim_suffix|> <|endofprompt|>',
  '\n/path/to/file\n//comment\n/* c */\n',
  '   \t\t  \n\n\r\n   \u00a0\u3000 \u2028 \v\f end',
];
const SEPARATORS = ['', '', ' ', '  ', '\n', '\n\n', '\r\n', '\t', '.', "'", '/', '-', '日', 'a', '7', ' \n', '\n    '];

function base64Run(r: () => number, n: number): string {
  const bytes = new Uint8Array(Math.ceil((n * 3) / 4));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
  return Buffer.from(bytes).toString('base64').slice(0, n);
}

/**
 * A mixed corpus of about `size` characters: code, English, CJK, other scripts, emoji, special-token strings,
 * long no-space runs (base64, hex, CJK) joined by adversarial separators (none, newline, apostrophe, slash…).
 */
export function mixedCorpus(size: number, seed = 1): string {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const parts: string[] = [];
  let len = 0;
  while (len < size) {
    const k = r();
    let s: string;
    if (k < 0.25) s = CODE.slice(Math.floor(r() * CODE.length * 0.8)).slice(0, 40 + Math.floor(r() * 300));
    else if (k < 0.45) s = pick(PROSE);
    else if (k < 0.65) s = pick(INTL);
    else if (k < 0.8) s = pick(SYMBOLS);
    else if (k < 0.88) s = base64Run(r, 50 + Math.floor(r() * 1500));
    else if (k < 0.93) s = Array.from({ length: 20 + Math.floor(r() * 200) }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
    else s = '東京大阪名古屋横浜神戸京都札幌福岡'.repeat(1 + Math.floor(r() * 6)); // CJK without punctuation
    s += pick(SEPARATORS);
    parts.push(s);
    len += s.length;
  }
  return parts.join('');
}

/** ~`size` characters of real-looking text: TypeScript declarations and Markdown from node_modules, plus multilingual lines. */
export function realCorpus(size: number): string {
  const root = path.join(__dirname, '..', '..', 'node_modules');
  const files = [
    ...['typescript/lib/lib.dom.d.ts', 'typescript/lib/lib.es5.d.ts', 'typescript/lib/typescript.d.ts'].map((f) => path.join(root, f)),
    ...['openai/README.md', '@anthropic-ai/sdk/README.md', '@google/genai/README.md', 'esbuild/README.md', 'mocha/README.md'].map((f) =>
      path.join(root, f),
    ),
  ].filter((f) => fs.existsSync(f));
  const out: string[] = [];
  let len = 0;
  let i = 0;
  const r = rng(7);
  while (len < size && files.length) {
    const text = fs.readFileSync(files[i % files.length], 'utf8');
    const start = Math.floor(r() * Math.max(1, text.length - 40_000));
    const chunk = text.slice(start, start + 40_000) + '\n' + INTL.join('\n') + '\n' + PROSE.join('\n') + '\n';
    out.push(chunk);
    len += chunk.length;
    i++;
  }
  return out.join('').slice(0, size);
}
