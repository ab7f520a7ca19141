#!/usr/bin/env node
// The CLI from the TypeScript sources (tsx), for development and for the tests that spawn the CLI: it always
// runs what src/ says now, never a dist/ build that may be stale. Users get bin/mteb-ts.js (compiled dist/).
import os from 'node:os';
import { register } from 'tsx/esm/api';
// The BLAS search engine keeps two GEMMs per core in flight on libuv's thread pool (4 threads by default); the
// pool reads this once, on first use, so it is set before anything runs.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, 2 * os.availableParallelism() + 2));
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
