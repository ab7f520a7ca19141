#!/usr/bin/env node
// Runs one TypeScript script (bench/, scripts) through tsx: node bin/run-ts.js path/to/script.ts [args]
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
register();
const [script, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...rest];
await import(pathToFileURL(path.resolve(script)).href);
