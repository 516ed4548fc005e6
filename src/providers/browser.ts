// SDK clients in a browser (VS Code for the Web's extension host runs in a web worker): the web host says so once
// at activation, and every client of a provider whose API wants to be told (its profile's web.cors 'opt-in':
// Anthropic) gets the SDK's browser flag. On the desktop nothing changes on the wire.
import type { ProviderId } from '../core/protocol/request';
import { profileOf } from '../core/providers';

let inBrowser = false;

/** Called by the web host before any client is made. */
export function useBrowserClients(): void {
  inBrowser = true;
}

/** Spread into an SDK client's options: in a browser, `dangerouslyAllowBrowser` where the provider's API asks for it. */
export function browserOptions(provider: ProviderId): { dangerouslyAllowBrowser?: true } {
  return inBrowser && profileOf(provider).web.cors === 'opt-in' ? { dangerouslyAllowBrowser: true } : {};
}
