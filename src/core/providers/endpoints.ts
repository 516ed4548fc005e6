// Where a request (and the API key with it) goes: the provider's own endpoint, or somewhere the user must approve.
// Only https: to the exact host each official SDK uses by default (the profile's officialHost) counts as the
// provider's own; anything else — http:, another port, a look-alike or a sibling host (any other *.googleapis.com)
// — is a different endpoint.
import type { ProviderId } from '../protocol/request';
import { PROFILES, providerLabel } from './index';

export type EndpointVerdict =
  /** No override: the SDK's own default endpoint. */
  | { kind: 'default' }
  /** https: to the provider's exact host on the default port. */
  | { kind: 'official'; host: string }
  /** Anything else; `host` is what the URL parser sees (what the question shows), `why` says what makes it foreign. */
  | { kind: 'other'; host: string; why: string }
  /** Not a URL at all (settings validation refuses it before this is asked). */
  | { kind: 'invalid' };

/** Classifies a base URL for a provider. Pure: parses only, resolves nothing. */
export function classifyEndpoint(provider: ProviderId, baseUrl: string | undefined): EndpointVerdict {
  if (baseUrl === undefined || baseUrl === '') return { kind: 'default' };
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { kind: 'invalid' };
  }
  const host = url.host; // hostname plus a non-default port, exactly as the request will use it
  const official = PROFILES[provider].officialHost;
  if (official === undefined) return { kind: 'other', host, why: 'a compatible server, not a provider’s official host' };
  const why: string[] = [];
  if (url.hostname !== official) why.push(`it is not ${official}`);
  if (url.protocol !== 'https:') why.push(`it uses ${url.protocol.replace(/:$/, '')}, so the key would travel unencrypted`);
  if (url.username || url.password) why.push('it carries a user name or password');
  if (url.port !== '') why.push(`it uses port ${url.port}, not the provider's`);
  return why.length ? { kind: 'other', host, why: why.join(' and ') } : { kind: 'official', host };
}

/**
 * The text of the approval question for a foreign endpoint: the parsed host first, then the full URL, and whose key
 * goes there (`keyLabel`, e.g. "OpenAI-compatible server").
 */
export function endpointQuestion(provider: ProviderId, baseUrl: string, verdict: Extract<EndpointVerdict, { kind: 'other' }>, keyLabel = providerLabel(provider)): string {
  return `Lengthwise is set to send your ${providerLabel(provider)} requests and your ${keyLabel} API key to ${verdict.host} (${baseUrl}; ${verdict.why}). Send them there?`;
}

/**
 * The origin (scheme, host and port) that requests for `provider` at `baseUrl` may reach with the key: the base
 * URL's own, else the host the SDK uses by default (the profile's defaultHost). Undefined for a base URL that does not parse (validation refuses it before anything is sent).
 */
export function approvedOrigin(provider: ProviderId, baseUrl: string | undefined): string | undefined {
  const host = PROFILES[provider].defaultHost;
  if (!baseUrl) return host === undefined ? undefined : `https://${host}`;
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}
