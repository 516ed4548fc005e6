// Big data modules (tokenizer ranks, the price table) are loaded on first use, by whatever hosts the core: the
// extension, the counting worker and the tests register the Node loader (src/platform/node/host.ts), which reads
// a chunk at once; the browser's web-worker host registers one that reads it asynchronously
// (src/platform/web/data.ts, src/extension/host/web.ts). Core itself never touches the disk, so it runs anywhere.
export type DataLoader = <T>(chunk: string, fallbackModule: string) => T | Promise<T>;

let loader: DataLoader | undefined;
/** What has been loaded, by chunk: a sync read after an async load finds it here. */
const loaded = new Map<string, unknown>();
const loading = new Map<string, Promise<unknown>>();

/** Registers how big data is loaded; called once by the host before anything is counted or priced. */
export function useDataLoader(l: DataLoader): void {
  loader = l;
  loaded.clear();
  loading.clear();
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

function registered(chunk: string): DataLoader {
  if (!loader) throw new Error(`no data loader registered for ${chunk} (the host calls useDataLoader first)`);
  return loader;
}

/**
 * The chunk, at once. A host that loads asynchronously must have loaded it first (loadDataAsync): then it is
 * here; otherwise this throws, naming the chunk, rather than answering as if the data did not exist.
 */
export function loadData<T>(chunk: string, fallbackModule: string): T {
  if (loaded.has(chunk)) return loaded.get(chunk) as T;
  const v = registered(chunk)<T>(chunk, fallbackModule);
  if (isThenable(v)) {
    // Keep the load going: the host's activation (or the next count) awaits it.
    if (!loading.has(chunk)) void loadDataAsync(chunk, fallbackModule).catch(() => undefined);
    throw new Error(`${chunk} is not loaded yet: this host loads data asynchronously (loadDataAsync first)`);
  }
  loaded.set(chunk, v);
  return v;
}

/** The chunk, loaded once whatever the host; a failed load can be tried again. */
export function loadDataAsync<T>(chunk: string, fallbackModule: string): Promise<T> {
  if (loaded.has(chunk)) return Promise.resolve(loaded.get(chunk) as T);
  let p = loading.get(chunk) as Promise<T> | undefined;
  if (!p) {
    p = Promise.resolve()
      .then(() => registered(chunk)<T>(chunk, fallbackModule))
      .then((v) => {
        loaded.set(chunk, v);
        return v;
      });
    const settled = p.finally(() => loading.delete(chunk));
    settled.catch(() => undefined);
    loading.set(chunk, p);
  }
  return p;
}
