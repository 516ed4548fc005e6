// A model that runs on this machine (a server on a loopback endpoint) and that no price list knows: nothing is
// billed, so it costs $0, and every figure built on it says "local" (cost source 'local'), never "price unknown".
// A cost the server reports, or a price in lengthwise.pricing, still wins (cost.ts, reported.ts).
import type { ModelPrice } from './types';

export function localPrice(model: string, baseUrl: string): ModelPrice {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // isLoopbackUrl parsed it already; keep the text as it is
  }
  return { model, inputPerM: 0, outputPerM: 0, source: `a local server on this machine (${host}): nothing billed`, date: '', local: true };
}
