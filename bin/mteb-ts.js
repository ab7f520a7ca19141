#!/usr/bin/env node
// The published CLI: runs the compiled dist/ (built by `npm run build`, which `npm ci` and `npm pack` run as
// `prepare`/`prepack`). No TypeScript at run time. In a checkout, bin/mteb-ts-dev.js runs src/ directly.
import os from 'node:os';
import { existsSync } from 'node:fs';
// The BLAS search engine keeps two GEMMs per core in flight on libuv's thread pool (4 threads by default); the
// pool reads this once, on first use, so it is set before anything runs.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, 2 * os.availableParallelism() + 2));
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('error[E_USAGE] mteb-ts is not built: dist/src/cli/main.js is missing. Run `npm run build` (or use bin/mteb-ts-dev.js).\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
