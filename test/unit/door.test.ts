// The one door: no module but the door reads a key, and the job rule it applies (core/generation/jobs/consent.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_JOB_REQUESTS, mustAsk, planLine, tooManyRequests, type MultipliedRequest } from '../../src/core/generation/jobs/consent';
import { splitTextAsync, TooManyParts } from '../../src/core/generation/jobs/split';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { isSafeCut } from '../../src/core/tokens/safeCuts';

const SRC = path.resolve(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('security: no module but the door reads a key (SecretStorage, the key environment variables, keyRead.ts)', () => {
  const reads: string[] = [];
  for (const file of sources(SRC)) {
    const rel = path.relative(SRC, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    const code = text.replace(/^\s*(\/\/|\*).*$/gm, '');
    if (rel !== 'extension/door/keyRead.ts') {
      if (/secrets\s*\.\s*get\s*\(|\.get\(\s*(secretName|COLLECTOR_SECRET)\b/.test(code)) reads.push(`${rel}: reads SecretStorage`);
      if (/process\s*\.\s*env\s*(\[|\.\s*\w*_API_KEY\b)/.test(code)) reads.push(`${rel}: reads a key variable of the environment`);
    }
    if (rel !== 'extension/door/door.ts' && rel !== 'extension/door/keyRead.ts' && /from\s+['"][./]*(door\/)?keyRead['"]/.test(code)) reads.push(`${rel}: imports keyRead`);
  }
  assert.deepEqual(reads, []);
});

const job = (over: Partial<MultipliedRequest>): MultipliedRequest => ({
  what: 'Send in chunks',
  requests: 2,
  inputTokens: 2_000,
  worstTokens: 4_000,
  worstUsd: 0.02,
  oneWorstTokens: 2_000,
  oneWorstUsd: 0.01,
  ...over,
});

test('the job rule: more than 20 requests, or a worst case over 10× one request, is asked about; less is not', () => {
  assert.equal(mustAsk(job({ requests: 20 })), undefined);
  assert.match(mustAsk(job({ requests: 21 })) ?? '', /21 requests \(more than 20\)/);
  assert.match(mustAsk(job({ requests: 712 })) ?? '', /712 requests/);
  assert.equal(mustAsk(job({ worstUsd: 0.1 })), undefined, 'exactly 10×');
  assert.match(mustAsk(job({ worstUsd: 0.11 })) ?? '', /11× that of one request/);
  // Unknown prices: the factor rule compares tokens.
  assert.match(mustAsk(job({ worstUsd: null, oneWorstUsd: null, worstTokens: 30_000 })) ?? '', /15×/);
  assert.equal(mustAsk(job({ worstUsd: null, oneWorstUsd: null, worstTokens: 20_000 })), undefined);
  assert.equal(planLine(job({ requests: 712, inputTokens: 182_272, worstUsd: 116.75 })), 'Send in chunks: 712 requests, 182,272 input tokens, worst case $116.75.');
  assert.match(planLine(job({ worstUsd: null })), /worst case unknown \(no price\)/);
  assert.match(tooManyRequests(712, 'Do less.'), /712 requests; Lengthwise sends at most 500 in one job\. Do less\. Nothing was sent\./);
});

test(`security: a split that would need more than ${MAX_JOB_REQUESTS} parts stops before cutting them (tiny parts, huge overlap)`, async () => {
  const tok = await loadTokenizer('o200k_base');
  const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8_000); // ~96,000 tokens
  const t0 = performance.now();
  const err = await splitTextAsync(text, { maxTokens: 200, overlapTokens: 100, count: (t) => tok.count(t), isSafeCut, maxParts: MAX_JOB_REQUESTS }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof TooManyParts, String(err));
  assert.ok(err.parts > MAX_JOB_REQUESTS, `${err.parts}`);
  assert.ok(performance.now() - t0 < 2_000, 'refused from the count, before atomizing');
  // At the cap exactly, the split goes through.
  const parts = await splitTextAsync(text.slice(0, 20_000), { maxTokens: 200, overlapTokens: 100, count: (t) => tok.count(t), isSafeCut, maxParts: MAX_JOB_REQUESTS });
  assert.ok(parts.length > 20 && parts.length <= MAX_JOB_REQUESTS, `${parts.length}`);
});
