// Core takes its big data and its way of giving way between slices from the host (src/core/lazyData.ts,
// src/core/turn.ts); tests and benchmarks run core on Node, so they register the Node host first (node --import,
// or imported by the editor tests' util.ts).
import { useNodeHost } from '../src/platform/node/host';

useNodeHost();
