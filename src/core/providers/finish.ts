// A provider's raw finish value → one normalized {raw, reason, truncated}, by the table in its profile. Every
// documented value is listed there; anything else maps to `other` with the raw value kept (never silently `stop`).
import { boundRaw } from '../protocol/finish';
import type { Finish, FinishReason, ProviderId } from '../protocol/request';
import { PROFILES } from './index';

/** @public the documented raw values of each provider's table, for the test that checks each maps */
export const KNOWN_FINISH_VALUES = Object.fromEntries(Object.entries(PROFILES).map(([id, p]) => [id, Object.keys(p.finish)])) as unknown as Record<ProviderId, readonly string[]>;

export function mapFinish(provider: ProviderId, raw: string | null | undefined, stopSequence?: string | null): Finish {
  const value = boundRaw(raw);
  const table = PROFILES[provider].finish;
  const reason: FinishReason = Object.prototype.hasOwnProperty.call(table, value) ? table[value]! : 'other';
  const finish: Finish = { raw: value === '' ? 'unknown' : value, reason, truncated: reason === 'length' };
  if (stopSequence) finish.stopSequence = stopSequence;
  return finish;
}
