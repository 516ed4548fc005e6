// Big data modules (tokenizer ranks, the price table) are loaded on first use, by whatever hosts the core: the
// extension, the counting worker and the tests register the Node loader (src/platform/node/host.ts), a browser host
// its own. Core itself never touches the disk, so it runs anywhere.
export type DataLoader = <T>(chunk: string, fallbackModule: string) => T;

let loader: DataLoader | undefined;

/** Registers how big data is loaded; called once by the host before anything is counted or priced. */
export function useDataLoader(l: DataLoader): void {
  loader = l;
}

export function loadData<T>(chunk: string, fallbackModule: string): T {
  if (!loader) throw new Error(`no data loader registered for ${chunk} (the host calls useDataLoader first)`);
  return loader<T>(chunk, fallbackModule);
}
