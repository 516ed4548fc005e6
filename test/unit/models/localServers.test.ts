// Use a Local Server's pure parts: the usual ports, what a typed address means, the servers' names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindByPort, LOCAL_SERVER_PORTS, serverBaseUrl, serverName } from '../../../src/core/models/localServers';

test('the usual ports: Ollama 11434, llama-server 8080, LM Studio 1234, vLLM 8000', () => {
  assert.deepEqual(LOCAL_SERVER_PORTS.map((p) => `${p.port} ${serverName(p.kind)}`), ['11434 Ollama', '8080 llama-server (llama.cpp)', '1234 LM Studio', '8000 vLLM']);
  assert.equal(kindByPort('http://127.0.0.1:11434/v1'), 'ollama');
  assert.equal(kindByPort('http://127.0.0.1:9999/v1'), undefined);
});

test('a typed address: scheme and /v1 added when missing, a path kept, trailing slashes dropped', () => {
  assert.deepEqual(serverBaseUrl('localhost:8080'), { baseUrl: 'http://localhost:8080/v1' });
  assert.deepEqual(serverBaseUrl(' http://127.0.0.1:11434/ '), { baseUrl: 'http://127.0.0.1:11434/v1' });
  assert.deepEqual(serverBaseUrl('https://gpu-box.lan:8000/v1//'), { baseUrl: 'https://gpu-box.lan:8000/v1' });
  assert.deepEqual(serverBaseUrl('http://127.0.0.1:4000/api/v1'), { baseUrl: 'http://127.0.0.1:4000/api/v1' });
});

test('refused: nothing, not an address, another scheme, a password in the address', () => {
  for (const bad of ['', '   ', 'http://', 'ftp://host/x', 'http://me:secret@127.0.0.1:8080/v1', 'x'.repeat(3000)]) {
    assert.ok('error' in serverBaseUrl(bad), bad.slice(0, 30));
  }
});
