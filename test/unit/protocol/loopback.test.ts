import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackUrl } from '../../../src/core/protocol/loopback';

test('loopback endpoints: localhost, 127.0.0.0/8 and ::1 stay on the machine', () => {
  for (const u of ['http://localhost:11434/v1', 'http://LOCALHOST:8080', 'http://llama.localhost:8080/v1', 'http://127.0.0.1:8080/v1', 'http://127.1.2.3', 'http://[::1]:8000/v1', 'http://[::ffff:127.0.0.1]:8000']) {
    assert.equal(isLoopbackUrl(u), true, u);
  }
});

test('loopback endpoints: LAN, public, look-alike and malformed URLs are not loopback', () => {
  for (const u of ['http://192.168.1.5:11434/v1', 'http://10.0.0.1', 'http://0.0.0.0:8080', 'https://api.openai.com/v1', 'http://localhost.evil.example/v1', 'http://127.0.0.1.evil.example', 'http://[::2]', 'not a url', '']) {
    assert.equal(isLoopbackUrl(u), false, u);
  }
});
