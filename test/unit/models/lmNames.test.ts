// lengthwise.model for VS Code's language models: vendor/id, or a bare id or family that names one model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmName, matchModels } from '../../../src/core/models/lmNames';

const MODELS = [
  { vendor: 'copilot', id: 'gpt-4.1', family: 'gpt-4.1' },
  { vendor: 'copilot', id: 'claude-sonnet-4.5', family: 'claude-sonnet-4.5' },
  { vendor: 'byok', id: 'gpt-4.1', family: 'gpt-4.1' },
  { vendor: 'ollama', id: 'llama3.1:8b', family: 'llama' },
  { vendor: 'ollama', id: 'llama3.2:3b', family: 'llama' },
];

test('vendor/id names one model; a bare id or family names every model that has it', () => {
  assert.deepEqual(matchModels(MODELS, 'copilot/gpt-4.1').map(lmName), ['copilot/gpt-4.1']);
  assert.deepEqual(matchModels(MODELS, ' COPILOT/GPT-4.1 ').map(lmName), ['copilot/gpt-4.1'], 'case and spaces do not matter');
  assert.deepEqual(matchModels(MODELS, 'claude-sonnet-4.5').map(lmName), ['copilot/claude-sonnet-4.5'], 'a bare id');
  assert.deepEqual(matchModels(MODELS, 'gpt-4.1').map(lmName), ['copilot/gpt-4.1', 'byok/gpt-4.1'], 'ambiguous: both, for the message that lists them');
  assert.deepEqual(matchModels(MODELS, 'llama').map(lmName), ['ollama/llama3.1:8b', 'ollama/llama3.2:3b'], 'a family');
  assert.deepEqual(matchModels(MODELS, 'copilot/gpt-9'), []);
});
