import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerHold } from '../../../src/core/views/answerHold';
import { doneText, idleText, sessionText } from '../../../src/core/views/statusText';

test('answer hold: events from before the end and the selection Lengthwise keeps or restores never release it', () => {
  const h = new AnswerHold();
  assert.equal(h.selectionChanged(5, ['a']), true, 'nothing held: the meter draws');
  h.ended(100, ['prompt']);
  assert.equal(h.holding, true);
  assert.equal(h.selectionChanged(90, ['other']), false, 'reported before the answer ended');
  assert.equal(h.edited(100), false, 'an edit at the same moment (the answer itself)');
  assert.equal(h.selectionChanged(250, ['prompt']), false, 'the prompt still selected, as Send leaves it');
  h.restored(['prompt-again']);
  assert.equal(h.selectionChanged(300, ['prompt-again']), false, 'a selection Lengthwise restored');
  assert.equal(h.holding, true);
  assert.equal(h.selectionChanged(400, ['other']), true, 'the user selected something else afterwards');
  assert.equal(h.holding, false);
});

test('answer hold: an edit after the end releases it; so does release()', () => {
  const h = new AnswerHold();
  h.ended(100, ['prompt']);
  assert.equal(h.edited(101), true);
  assert.equal(h.holding, false);
  h.ended(200);
  h.release();
  assert.equal(h.holding, false);
  h.ended(300);
  assert.equal(h.settingsChanged(250), false, 'a settings change from before the end (its debounced redraw comes later)');
  assert.equal(h.settingsChanged(301), true, 'a preset or model chosen afterwards');
});

test('the session total is part of the status text', () => {
  assert.equal(sessionText(undefined), '');
  assert.equal(sessionText({ usd: 0, requests: 0 }), '');
  assert.equal(sessionText({ usd: 0.0123, requests: 2 }), 'session $0.0123');
  assert.equal(sessionText({ usd: 0.0123, requests: 3, unknownRequests: 1 }), 'session ≥ $0.0123', 'a lower bound when some prices are unknown');
  assert.equal(sessionText({ usd: null, requests: 1, unknownRequests: 1 }), 'session price unknown', 'never $0 for unknown');
  const d = { outputTokens: 42, maxTokens: 100, costUsd: 0.0004, source: 'provider' as const, truncated: false, reason: 'stop', rounds: 1 };
  assert.equal(doneText({ ...d, session: { usd: 0.0123, requests: 2 } }), '$(check) 42 tok · $0.0004 · session $0.0123');
  assert.equal(idleText({ preset: 'qa', selectionExact: true, session: { usd: 0.0123, requests: 2 } }), '$(symbol-ruler) qa · session $0.0123');
});
