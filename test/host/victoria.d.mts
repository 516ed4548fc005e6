// Types for victoria.mjs (used by the TypeScript tests).
export interface Victoria {
  url: string;
  port: number;
  dataDir: string;
  otlpUrl: string;
  log(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
  flush(): Promise<void>;
  query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  exportAll(): Promise<string>;
}
export function victoriaDir(): string;
export function ensureVictoria(): string;
export function startVictoria(opts?: { port?: number; dataDir?: string; args?: string[] }): Promise<Victoria>;
