// Core loads its big data through the host (src/core/lazyData.ts); tests and benchmarks run core on Node, so they
// register the Node loader first (node --import, or imported by the editor tests' util.ts).
import { useDataLoader } from '../src/core/lazyData';
import { nodeDataLoader } from '../src/platform/node/lazyChunk';

useDataLoader(nodeDataLoader);
