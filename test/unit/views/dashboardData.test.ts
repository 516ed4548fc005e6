import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../../src/core/ledger/record';
import { buildDashboard, dayKey, filterRecords, groupBy, modelKey, presetKey, presetLabel, spendByDay } from '../../../src/core/views/dashboardData';
import { csvField, toCsv, toJsonl, CSV_COLUMNS } from '../../../src/core/views/export';
import { histogram, lengthStats, niceCeil, niceStep, percentile } from '../../../src/core/views/lengths';
import { recommend } from '../../../src/core/views/recommend';

let seq = 0;
function rec(over: Partial<LedgerRecord> & { out?: number; truncated?: boolean; reason?: string } = {}): LedgerRecord {
  const { out, truncated, reason, ...rest } = over;
  const t = truncated ?? false;
  return {
    v: 1,
    id: `r${++seq}`,
    time: '2025-06-10T12:00:00.000Z',
    durationMs: 1000,
    workspace: 'file:///ws',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    preset: 'quick answer',
    usage: { inputTokens: 100, outputTokens: out ?? 50 },
    usageSource: 'provider',
    costUsd: 0.001,
    finish: { raw: t ? 'length' : 'stop', reason: reason ?? (t ? 'length' : 'stop'), truncated: t },
    maxTokens: 1024,
    ...rest,
  };
}

const NOW = new Date('2025-06-10T18:00:00.000Z');
const base = { workspace: 'file:///ws', now: NOW, utcOffsetMinutes: 0 };

describe('days and filters', () => {
  it('puts a time on the calendar day of the given offset', () => {
    assert.equal(dayKey('2025-06-10T23:30:00Z', 0), '2025-06-10');
    assert.equal(dayKey('2025-06-10T23:30:00Z', 60), '2025-06-11');
    assert.equal(dayKey('2025-06-10T00:30:00Z', -120), '2025-06-09');
  });

  it('keeps the last 7 / 30 calendar days (today included) and this workspace or all', () => {
    const rs = [
      rec({ time: '2025-06-04T00:00:00Z' }), // 6 days before today: in 7
      rec({ time: '2025-06-03T23:59:59Z' }), // 7 days before: out of 7, in 30
      rec({ time: '2025-05-11T00:00:00Z' }), // 30 days before: out of 30
      rec({ time: '2025-06-10T10:00:00Z', workspace: 'file:///other' }),
    ];
    const ids = (range: '7' | '30' | 'all', scope: 'workspace' | 'all') => filterRecords(rs, { ...base, range, scope }).map((r) => r.id);
    assert.deepEqual(ids('7', 'workspace'), [rs[0].id]);
    assert.deepEqual(ids('30', 'workspace'), [rs[0].id, rs[1].id]);
    assert.deepEqual(ids('all', 'workspace'), [rs[0].id, rs[1].id, rs[2].id]);
    assert.deepEqual(ids('7', 'all'), [rs[0].id, rs[3].id]);
  });
});

describe('aggregation', () => {
  it('spend per day: every day present, stacked by model, unknown prices counted and not added', () => {
    const rs = [
      rec({ time: '2025-06-08T10:00:00Z', costUsd: 0.5, model: 'a' }),
      rec({ time: '2025-06-08T11:00:00Z', costUsd: 0.25, model: 'b' }),
      rec({ time: '2025-06-08T12:00:00Z', costUsd: 0.125, model: 'a' }),
      rec({ time: '2025-06-10T12:00:00Z', costUsd: null, model: 'local' }),
    ];
    const days = spendByDay(rs, '2025-06-07', '2025-06-10', 0);
    assert.deepEqual(
      days.map((d) => d.day),
      ['2025-06-07', '2025-06-08', '2025-06-09', '2025-06-10'],
    );
    assert.equal(days[0].requests, 0);
    assert.equal(days[1].knownCostUsd, 0.875);
    assert.deepEqual({ ...days[1].byModel }, { a: 0.625, b: 0.25 });
    assert.equal(days[3].requests, 1);
    assert.equal(days[3].knownCostUsd, 0);
    assert.equal(days[3].unknownCostRequests, 1);
    assert.deepEqual({ ...days[3].byModel }, {}, 'an unknown price is not a $0 segment');
  });

  it('tables per model and per preset: token kinds, cost, share, estimated vs provider, unknown cost', () => {
    const rs = [
      rec({ model: 'a', preset: 'p', costUsd: 3, usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 400, cacheWriteTokens: 10, reasoningTokens: 50 } }),
      rec({ model: 'a', preset: undefined, costUsd: 1, usageSource: 'estimate', usage: { inputTokens: 10, outputTokens: 20 } }),
      rec({ model: 'b', preset: 'p', costUsd: null, usage: { inputTokens: 7, outputTokens: 8 } }),
    ];
    const models = groupBy(rs, modelKey, (k) => k);
    assert.deepEqual(
      models.map((m) => [m.key, m.requests, m.knownCostUsd, m.costShare]),
      [
        ['a', 2, 4, 1],
        ['b', 1, 0, null],
      ],
    );
    const a = models[0];
    assert.equal(a.inputTokens, 1010);
    assert.equal(a.outputTokens, 220);
    assert.equal(a.cacheReadTokens, 400);
    assert.equal(a.cacheWriteTokens, 10);
    assert.equal(a.reasoningTokens, 50);
    assert.equal(a.estimatedRequests, 1);
    assert.equal(a.estimatedCostUsd, 1);
    assert.equal(models[1].unknownCostRequests, 1);

    const presets = groupBy(rs, presetKey, presetLabel);
    assert.deepEqual(
      presets.map((p) => [p.label, p.requests, p.knownCostUsd, p.costShare]),
      [
        ['p', 2, 3, 0.75],
        ['(no preset)', 1, 1, 0.25],
      ],
    );
    assert.equal(presets[0].unknownCostRequests, 1);
  });
});

describe('percentiles and rounding', () => {
  it('nearest rank over unsorted values', () => {
    const v = Array.from({ length: 20 }, (_, i) => 20 - i); // 20..1
    assert.equal(percentile(v, 50), 10);
    assert.equal(percentile(v, 95), 19);
    assert.equal(percentile(v, 100), 20);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 50), null);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 95), 1000);
  });

  it('rounds up to two significant digits and picks 1-2-5 bin widths', () => {
    assert.equal(niceCeil(412 * 1.2), 500);
    assert.equal(niceCeil(1024 * 1.5), 1600);
    assert.equal(niceCeil(9.6), 10);
    assert.equal(niceCeil(1000), 1000);
    assert.equal(niceCeil(1001), 1100);
    assert.equal(niceCeil(0), 1);
    assert.equal(niceStep(85.4), 100);
    assert.equal(niceStep(17), 20);
    assert.equal(niceStep(3), 5);
  });

  it('histogram: counts every sample once, marks truncated, puts a sample at the cap in the last bin', () => {
    const samples = [
      { output: 0, truncated: false },
      { output: 99, truncated: false },
      { output: 100, truncated: false },
      { output: 1024, truncated: true },
    ];
    const bins = histogram(samples, 1024);
    assert.equal(bins[0].from, 0);
    assert.equal(bins[0].to, 100);
    assert.equal(bins[0].count, 2);
    assert.equal(bins[1].count, 1);
    assert.equal(bins.at(-1)!.count, 1);
    assert.equal(bins.at(-1)!.truncated, 1);
    assert.ok(bins.at(-1)!.from <= 1024 && 1024 < bins.at(-1)!.to);
    assert.equal(
      bins.reduce((s, b) => s + b.count, 0),
      4,
    );
    assert.deepEqual(histogram([], 1024), []);
  });
});

describe('length statistics', () => {
  it('counts first rounds that ended; continuation rounds, cancelled and interrupted are left out but listed', () => {
    const rs = [
      rec({ out: 100 }),
      rec({ out: 300, truncated: true, chainId: 'c', round: 1 }),
      rec({ out: 900, chainId: 'c', round: 2 }),
      rec({ out: 5, reason: 'cancelled' }),
      rec({ out: 7, interrupted: true, reason: 'other' }),
      rec({ out: 200 }),
    ];
    const s = lengthStats(rs, 1024);
    assert.equal(s.samples, 3);
    assert.equal(s.truncated, 1);
    assert.equal(s.truncatedShare, 1 / 3);
    assert.equal(s.p50, 200);
    assert.equal(s.max, 300, 'the continuation round (900) is not an answer length');
    assert.deepEqual(s.excluded, { continuationRounds: 1, notFinished: 2 });
    assert.deepEqual(
      s.finishReasons.map((f) => [f.reason, f.count]),
      [
        ['stop', 3],
        ['cancelled', 1],
        ['length', 1],
        ['other', 1],
      ],
    );
    assert.equal(
      s.histogram.reduce((n, b) => n + b.count, 0),
      3,
    );
  });
});

/** n answers with outputs spread so that the nearest-rank p95 is exactly `p95`. */
function answers(n: number, p95: number, over: Partial<LedgerRecord> & { truncated?: boolean } = {}): LedgerRecord[] {
  const rank = Math.ceil(0.95 * n);
  return Array.from({ length: n }, (_, i) => rec({ out: i + 1 === rank ? p95 : i + 1 < rank ? Math.round((p95 * (i + 1)) / rank) : p95 + 10, ...over }));
}

describe('recommendation rule', () => {
  it("lowers the cap to p95 × 1.2 rounded, with the issue's wording and the output worst-case change", () => {
    const rs = answers(20, 412);
    assert.equal(percentile(rs.map((r) => r.usage.outputTokens), 95), 412);
    const r = recommend('quick answer', rs, 1024);
    assert.equal(r.kind, 'lower');
    assert.equal(r.current, 1024);
    assert.equal(r.suggested, 500);
    assert.equal(Math.round(r.outputWorstCaseChangePct!), -51);
    assert.equal(r.worstCaseChangePct, null, 'no prices given: only the output part is claimed');
    assert.equal(r.text, 'quick answer: p95 is 412 tokens and nothing was truncated at 1,024 — set max tokens to 500: worst-case output cost per call falls 51%.');
  });

  it('uses the last cap sent when the configured value is unknown', () => {
    const rs = answers(20, 412, { maxTokens: 2000 });
    const r = recommend('p', rs, undefined);
    assert.equal(r.current, 2000);
    assert.equal(r.suggested, 500);
  });

  it('states the whole worst case per call when prices are known', () => {
    // mean input 100 tokens at $2/M, output at $8/M: 100·2 + 1024·8 = 8392 → 100·2 + 500·8 = 4200: −50%.
    const r = recommend('p', answers(20, 412), 1024, undefined, () => ({ input: 2, output: 8 }));
    assert.equal(Math.round(r.worstCaseChangePct!), Math.round((4200 / 8392 - 1) * 100));
    assert.match(r.text, /worst-case cost per call falls 50%/);
  });

  it('says nothing with too few samples', () => {
    const r = recommend('p', answers(9, 100), 1024);
    assert.equal(r.kind, 'insufficient');
    assert.equal(r.suggested, null);
    assert.match(r.text, /9 of the 10 complete answers/);
    // 10 answers, 1 truncated (10% < 20%): only 9 complete.
    const r2 = recommend('p', [...answers(9, 100), rec({ out: 1024, truncated: true })], 1024);
    assert.equal(r2.kind, 'insufficient');
    // No records, no cap known.
    assert.equal(recommend('p', [], undefined).kind, 'insufficient');
  });

  it('all truncated: raises to the cap × 1.5 rounded (without continued chains)', () => {
    const rs = Array.from({ length: 12 }, () => rec({ out: 1024, truncated: true }));
    const r = recommend('long form', rs, 1024);
    assert.equal(r.kind, 'raise');
    assert.equal(r.suggested, 1600);
    assert.equal(Math.round(r.outputWorstCaseChangePct!), 56);
    assert.equal(r.text, 'long form: 100% of 12 answers were truncated at 1,024 — raise max tokens to 1,600: worst-case output cost per call rises 56%.');
  });

  it('all truncated but too few: insufficient', () => {
    const rs = Array.from({ length: 5 }, () => rec({ out: 1024, truncated: true }));
    const r = recommend('p', rs, 1024);
    assert.equal(r.kind, 'insufficient');
    assert.match(r.text, /5 of the 10 answers/);
  });

  it('many truncated and continued: raises to the p95 of the chains’ full length × 1.2', () => {
    const rs: LedgerRecord[] = [];
    for (let i = 0; i < 10; i++) {
      rs.push(rec({ out: 1024, truncated: true, chainId: `c${i}`, round: 1 }));
      rs.push(rec({ out: 976, chainId: `c${i}`, round: 2 }));
    }
    const r = recommend('p', rs, 1024);
    assert.equal(r.kind, 'raise');
    assert.equal(r.suggested, 2400); // 2000 × 1.2
    assert.match(r.text, /continued answers reach 2,000 tokens/);
  });

  it('keeps a cap within 10% of p95 × 1.2', () => {
    const r = recommend('p', answers(20, 412, { maxTokens: 520 }), 520);
    assert.equal(r.kind, 'keep');
    assert.equal(r.suggested, null);
    assert.match(r.text, /the current 520 fits/);
  });

  it('a few truncated answers put p95 at the cap: suggests raising by the buffer', () => {
    const rs = [...answers(17, 200, { maxTokens: 300 }), ...Array.from({ length: 3 }, () => rec({ out: 300, truncated: true, maxTokens: 300 }))];
    const r = recommend('p', rs, 300);
    assert.equal(r.kind, 'raise');
    assert.equal(r.suggested, 360);
    assert.match(r.text, /3 of 20 answers were truncated at 300/);
  });
});

describe('buildDashboard', () => {
  it('assembles days, models, presets with stats and recommendations, and the budget against all-time spend', () => {
    const rs = [
      rec({ time: '2025-01-01T10:00:00Z', costUsd: 2 }), // before the range, counts toward the budget
      ...answers(20, 412, { time: '2025-06-09T10:00:00Z', costUsd: 0.01 }),
      rec({ time: '2025-06-10T10:00:00Z', costUsd: null, model: 'local', preset: undefined }),
      rec({ time: '2025-06-10T10:00:00Z', costUsd: 1, workspace: 'file:///other' }),
    ];
    const d = buildDashboard(rs, { ...base, range: '7', scope: 'workspace', budgetUsd: 10, configuredMaxTokens: { 'quick answer': 1024 } });
    assert.equal(d.ledgerRecords, 23);
    assert.equal(d.shownRecords, 21);
    assert.equal(d.days.length, 7);
    assert.equal(d.firstDay, '2025-06-04');
    assert.ok(Math.abs(d.totals.knownCostUsd - 0.2) < 1e-12);
    assert.equal(d.totals.unknownCostRequests, 1);
    assert.deepEqual(
      d.models.map((m) => m.key),
      ['gpt-4.1-mini', 'local'],
    );
    const qa = d.presets.find((p) => p.key === 'quick answer')!;
    assert.equal(qa.recommendation.suggested, 500);
    assert.equal(qa.length.p95, 412);
    const none = d.presets.find((p) => p.key === '')!;
    assert.equal(none.label, '(no preset)');
    assert.equal(none.recommendation.kind, 'insufficient');
    assert.ok(d.budget);
    assert.ok(Math.abs(d.budget.spentUsd - 2.2) < 1e-12, 'all-time workspace spend, other workspaces excluded');
    assert.ok(Math.abs(d.budget.cumulative[0].knownCostUsd - 2) < 1e-12);
    assert.ok(Math.abs(d.budget.cumulative.at(-1)!.knownCostUsd - 2.2) < 1e-12);
    assert.match(d.rule.text, /p95 of the output lengths × 1\.2/);

    const all = buildDashboard(rs, { ...base, range: 'all', scope: 'all' });
    assert.equal(all.shownRecords, 23);
    assert.equal(all.firstDay, '2025-01-01');
    assert.equal(all.budget, null);
  });

  it('an empty ledger gives an empty view', () => {
    const d = buildDashboard([], { ...base, range: 'all', scope: 'workspace' });
    assert.equal(d.shownRecords, 0);
    assert.deepEqual(d.days, []);
    assert.deepEqual(d.presets, []);
  });
});

/** A small RFC 4180 reader, to check that what toCsv writes reads back as the same fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('export', () => {
  it('escapes commas, quotes and line breaks in CSV fields', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('line1\nline2'), '"line1\nline2"');
    assert.equal(csvField('cr\rlf'), '"cr\rlf"');
    assert.equal(csvField(' padded'), '" padded"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(0), '0');
  });

  it('CSV round-trips awkward preset names and leaves unknown costs empty (not 0)', () => {
    const rs = [
      rec({ preset: 'a, "b"\nc', costUsd: null, chainId: 'x', round: 2 }),
      rec({ preset: undefined, costUsd: 0.0015, usage: { inputTokens: 1, outputTokens: 2, reasoningTokens: 1 } }),
    ];
    const csv = toCsv(rs);
    assert.ok(csv.endsWith('\r\n'));
    const rows = parseCsv(csv);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    for (const row of rows) assert.equal(row.length, CSV_COLUMNS.length);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    assert.equal(rows[1][col('preset')], 'a, "b"\nc');
    assert.equal(rows[1][col('costUsd')], '');
    assert.equal(rows[1][col('round')], '2');
    assert.equal(rows[2][col('preset')], '');
    assert.equal(rows[2][col('costUsd')], '0.0015');
    assert.equal(rows[2][col('reasoningTokens')], '1');
    assert.equal(rows[2][col('truncated')], 'false');
  });

  it('CSV: text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers', () => {
    for (const bad of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tlead', '\r=1']) {
      const field = csvField(bad);
      const unquoted = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
      assert.equal(unquoted, `'${bad}`, `${JSON.stringify(bad)} → ${field}`);
    }
    assert.equal(csvField(-5), '-5', 'a negative number is a number, not a formula');
    assert.equal(csvField('a=b'), 'a=b');
    const rows = parseCsv(toCsv([rec({ preset: '=cmd|calc', model: '@evil', usage: { inputTokens: 1, outputTokens: 2, cacheWriteTokens: 3, cacheWrite1hTokens: 2 } })]));
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    assert.equal(rows[1][col('preset')], "'=cmd|calc");
    assert.equal(rows[1][col('model')], "'@evil");
    assert.equal(rows[1][col('cacheWrite1hTokens')], '2');
  });

  it('security: CSV cells starting with a full-width ＝ ＋ － ＠, or with spaces before a formula character, get the leading apostrophe', () => {
    // Spreadsheets read a full-width "＝" as "=" and skip leading spaces before a formula.
    for (const bad of ['＝HYPERLINK("http://x","y")', '＋1', '－2+3', '＠SUM(A1)', ' =1+1', '   @SUM(A1)', ' +1', '\u3000=1', ' \t=1', '  ＝1']) {
      const field = csvField(bad);
      const unquoted = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
      assert.equal(unquoted, `'${bad}`, `${JSON.stringify(bad)} → ${field}`);
    }
    assert.equal(csvField('a ＝ b'), 'a ＝ b');
    assert.equal(csvField('   plain'), '"   plain"');
  });

  it('JSONL: one record a line, parsed back equal', () => {
    const rs = [rec({ preset: 'multi\nline' }), rec({ costUsd: null })];
    const text = toJsonl(rs);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => JSON.parse(l)), rs);
    assert.equal(toJsonl([]), '');
  });
});

// Issue 28: "1 of 11 answers were truncated at 1,024" — the truncated one had an 8-token cap on another model.
describe('recommendation per model and preset, from answers under the same cap', () => {
  it('a preset used with two models: each model is judged on its own answers, at its own cap', () => {
    const rs = [
      ...answers(10, 300, { model: 'gpt-4.1-mini', time: '2025-06-10T10:00:00Z' }),
      rec({ model: 'gpt-4.1-nano', out: 8, truncated: true, maxTokens: 8, time: '2025-06-09T10:00:00Z' }),
    ];
    const d = buildDashboard(rs, { ...base, range: 'all', scope: 'workspace', configuredMaxTokens: { 'quick answer': 1024 } });
    const qa = d.presets.find((p) => p.key === 'quick answer')!;
    assert.equal(qa.recommendation.model, 'gpt-4.1-mini', 'the model the preset sent to last comes first');
    assert.doesNotMatch(qa.recommendation.text, /\d+ of \d+ answers were truncated/, "the other model's cut answer is not counted");
    assert.match(qa.recommendation.text, /^quick answer · gpt-4\.1-mini: p95 is 300 tokens and nothing was truncated at 1,024/);
    assert.equal(qa.otherModels.length, 1);
    const nano = qa.otherModels[0];
    assert.equal(nano.model, 'gpt-4.1-nano');
    assert.equal(nano.kind, 'insufficient');
    assert.match(nano.text, /^quick answer · gpt-4\.1-nano: not enough data yet at max tokens 1,024 — 0 of the 10/);
    assert.match(nano.text, /1 answer under another cap \(8\) is not counted/);
  });

  it('answers sent under another cap are not counted against the current one', () => {
    const rs = [...answers(12, 200, { maxTokens: 1024 }), ...Array.from({ length: 4 }, () => rec({ out: 300, truncated: true, maxTokens: 300 }))];
    const r = recommend('p', rs, 300);
    assert.equal(r.kind, 'insufficient', 'only the 4 answers at 300 count');
    assert.match(r.text, /4 of the 10 answers the rule needs/);
    assert.match(r.text, /12 answers under other caps \(1,024\) are not counted/);
    const before = recommend('p', rs, 1024);
    assert.equal(before.kind, 'lower', 'at 1,024 the 12 complete answers count');
    assert.match(before.text, /nothing was truncated at 1,024/);
  });

  it('the worst-case change uses the price of the group’s own model', () => {
    const rs = answers(20, 412, { model: 'dear-model' });
    const r = recommend('p', rs, 1024, undefined, (_p, m) => (m === 'dear-model' ? { input: 2, output: 8 } : undefined));
    assert.match(r.text, /worst-case cost per call falls 50%/);
  });
});
