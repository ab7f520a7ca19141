#!/usr/bin/env node
// Runs one TypeScript script (bench/, scripts) through tsx: node bin/run-ts.js path/to/script.ts [args]
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
// As bin/mteb-ts.js: room on libuv's pool for the BLAS search engine's two GEMMs per core (read once, at first use).
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, 2 * os.availableParallelism() + 2));
register();
const [script, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...rest];
await import(pathToFileURL(path.resolve(script)).href);
