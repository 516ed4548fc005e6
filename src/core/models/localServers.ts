// Local model servers as Lengthwise looks for them: the ports each usually listens on, what a typed address means
// (a bare host:port gets http:// and the /v1 every one of them serves the OpenAI API under), and their names.
import { trimSlash, type ServerKind } from './discovery';

/** Where the usual servers listen by default, in the order they are offered. */
export const LOCAL_SERVER_PORTS: readonly { port: number; kind: ServerKind }[] = [
  { port: 11434, kind: 'ollama' },
  { port: 8080, kind: 'llama-server' },
  { port: 1234, kind: 'lmstudio' },
  { port: 8000, kind: 'vllm' },
];

const NAMES: Record<ServerKind, string> = { 'llama-server': 'llama-server (llama.cpp)', vllm: 'vLLM', ollama: 'Ollama', lmstudio: 'LM Studio', openrouter: 'OpenRouter', vscode: 'VS Code' };

export function serverName(kind: ServerKind): string {
  return NAMES[kind];
}

/** The server a port usually belongs to (a guess, said as one). */
export function kindByPort(baseUrl: string): ServerKind | undefined {
  let port: number;
  try {
    port = Number(new URL(baseUrl).port);
  } catch {
    return undefined;
  }
  return LOCAL_SERVER_PORTS.find((p) => p.port === port)?.kind;
}

/** Longest address taken from a person or a caller. */
const MAX_URL = 2048;

/**
 * A base URL from what a person typed or a caller passed: "localhost:8080" → "http://localhost:8080/v1"; an
 * address with a path keeps it ("http://gpu-box:8000/v1/"). Only http(s), without a user name or password.
 */
export function serverBaseUrl(input: string): { baseUrl: string } | { error: string } {
  const t = input.trim();
  if (!t) return { error: 'an address is needed, e.g. http://127.0.0.1:8080/v1' };
  if (t.length > MAX_URL) return { error: `the address is longer than ${MAX_URL} characters` };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]{0,20}:\/\//i.test(t) ? t : `http://${t}`);
  } catch {
    return { error: `"${t.slice(0, 80)}" is not an address, e.g. http://127.0.0.1:8080/v1` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `only http and https servers are asked (not ${url.protocol.replace(/:$/, '')})` };
  if (url.username || url.password) return { error: 'a user name or password in the address would travel with every request: store a key with Set API Key instead' };
  return { baseUrl: `${url.origin}${trimSlash(url.pathname) || '/v1'}` };
}
