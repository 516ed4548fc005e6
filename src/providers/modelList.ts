// The model ids a server lists (GET …/models through the openai SDK), for Select Model on an OpenAI-compatible
// server. Bounded: a few hundred ids are plenty for a pick; a server that lists more is cut, never waited on.
import OpenAI from 'openai';
import { keyFetch } from './keyFetch';

const MAX_IDS = 500;
const MAX_ID_CHARS = 200;

/** Ids the server at `baseUrl` lists, in its order; rejects with the SDK's error when it does not answer. */
export async function listServerModels(baseUrl: string, apiKey: string, signal?: AbortSignal): Promise<string[]> {
  const client = new OpenAI({
    // A server without auth gets no Authorization header (null removes the SDK's).
    apiKey: apiKey || 'none',
    ...(apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    baseURL: baseUrl,
    maxRetries: 0,
    timeout: 5_000,
    fetch: keyFetch('openai-compatible', baseUrl),
  });
  const ids: string[] = [];
  for await (const m of client.models.list({ signal })) {
    if (typeof m.id === 'string' && m.id.length <= MAX_ID_CHARS && !ids.includes(m.id)) ids.push(m.id);
    if (ids.length >= MAX_IDS) break;
  }
  return ids;
}
