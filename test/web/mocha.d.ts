// Mocha's browser build (node_modules/mocha/mocha.js, UMD): the part of it the web pass uses (test/web/index.ts).
declare module 'mocha/mocha.js' {
  interface BrowserRunner {
    stats?: { passes: number; failures: number; pending: number };
    on(event: 'pass' | 'fail', h: (test: { fullTitle(): string }, err?: unknown) => void): void;
  }
  interface BrowserMocha {
    setup(o: Record<string, unknown>): BrowserMocha;
    grep(re: RegExp): BrowserMocha;
    run(done: (failures: number) => void): BrowserRunner;
  }
  const mocha: BrowserMocha;
  export default mocha;
}
