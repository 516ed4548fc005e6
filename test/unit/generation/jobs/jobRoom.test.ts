// Whether Send becomes a job: the room of one request from the catalog, lengthwise.models, or the limits a local
// server reported, the same rule the planner clamps with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputRoom, jobRoom } from '../../../../src/core/generation/jobs/jobPlan';
import { findModel } from '../../../../src/core/models/models';
import type { DiscoveredLimits } from '../../../../src/core/models/discovery';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings/settings';

const local = { ...DEFAULT_SETTINGS, provider: 'openai-compatible' as const, model: 'tiny', baseUrl: 'http://127.0.0.1:8080/v1', maxTokens: 256 };
const props: DiscoveredLimits = { server: 'llama-server', source: "the server's /props (n_ctx)", ignored: [], contextWindow: 2048 };

test("a local server's reported window makes input over it a job (the issue's 5,873 tokens into 2,048)", () => {
  // The rule before: the catalog and lengthwise.models only, so an unknown local model was never a job.
  assert.equal(inputRoom(findModel(local.provider, local.model, local.models), local.maxTokens, false, null), undefined);
  const room = jobRoom(local, { tokens: 5873, exact: true }, props);
  assert.ok(room, 'a job');
  assert.ok(room.tokens < 2048 - 256 && room.tokens > 1600, String(room.tokens));
  assert.match(room.limitedBy, /context window of 2,048 tokens/);
  assert.equal(jobRoom(local, { tokens: 900, exact: true }, props), undefined, 'fits: a plain Send');
  assert.equal(jobRoom(local, { tokens: 5873, exact: true }, undefined), undefined, 'nothing reported, nothing set: nothing to split against');
});

test('lengthwise.models wins over what the server reports, as in the planner', () => {
  const room = jobRoom({ ...local, models: { tiny: { contextWindow: 8192 } } }, { tokens: 5873, exact: true }, props);
  assert.equal(room, undefined, 'the user says 8,192: it fits');
});

test('an estimate for a tokenizer Lengthwise cannot see is compared with its stated margin', () => {
  const exactRoom = jobRoom(local, { tokens: 1500, exact: true }, props);
  assert.equal(exactRoom, undefined);
  assert.ok(jobRoom(local, { tokens: 1500, exact: false, margin: 0.15 }, props), '1,500 + 15% does not fit ~1,700');
});

test('chunking.strategy off: never a job', () => {
  assert.equal(jobRoom({ ...local, 'chunking.strategy': 'off' }, { tokens: 5873, exact: true }, props), undefined);
});

test('a window with no output limit of its own keeps at most half of it for the answer: a huge max tokens is not a job by itself', () => {
  const big = { ...local, maxTokens: 100_000 };
  assert.equal(jobRoom(big, { tokens: 40, exact: true }, props), undefined, 'a short prompt: a plain Send (the planner clamps max tokens)');
  const room = jobRoom(big, { tokens: 5873, exact: true }, props)!;
  assert.equal(room.maxTokens, 1024);
  assert.ok(room.tokens > 800 && room.tokens < 1024, String(room.tokens));
});
