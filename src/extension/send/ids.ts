// Ids the shell hands out. Ids that are written to the ledger (chains, jobs, batches) start with the time, so they
// stay unique across sessions and windows; ids of what lives only in this session (runs) need only a counter.
let counter = 0;

/** A chain, job or batch id: prefix, time (base 36) and a counter. */
export function recordId(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;
}

/** An id for this session only (a run, a running job). */
export function sessionId(prefix: string): string {
  return `${prefix}${(counter++).toString(36)}`;
}
