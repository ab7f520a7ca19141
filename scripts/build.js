#!/usr/bin/env node
// The package build (`npm run build`; also `prepare`/`prepack`, so `npm ci` and `npm pack` build it):
// tsc over src/ (tsconfig.build.json) to dist/, then the files src/ reads at run time next to the compiled code.
// Plain JavaScript, so it needs nothing but typescript (a devDependency) and runs before any build exists.
//
// Layout: rootDir is the repository root (src/ imports the top-level reports/), so code lands in dist/src/ and
// dist/reports/. src/registry/paths.ts finds tasks/ and fixtures/ two levels above itself, which from
// dist/src/registry/ is dist/: the registry and the bundled demo model and tasks are copied there.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const quiet = process.argv.includes('--quiet');
const log = (s) => quiet || process.stderr.write(s + '\n');

// `npm pack`/`npm publish` run both prepack and prepare: build once (in prepack).
if (process.env.npm_lifecycle_event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

rmSync(dist, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write(`build: tsc -p tsconfig.build.json failed (exit ${r.status ?? r.signal})\n`);
  process.exit(1);
}

/** Files under dir (recursive), relative to root. */
function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(relative(root, p));
  }
  return out;
}

let copied = 0;
function copy(rel) {
  const to = join(dist, rel);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(root, rel), to);
  copied++;
}

// 1. Non-TypeScript files src/ loads relative to its own modules (new URL('./x.wasm', import.meta.url)):
//    the compiled WASM kernels and our prebuilt native kernels (<name>.linux-x64.so, scripts/build-native.js).
//    Their .wat / .c sources are not needed at run time.
for (const f of walk(join(root, 'src'))) if (/\.(wasm|json)$/.test(f) || f.endsWith('.linux-x64.so')) copy(f);

// 2. The task registry (tasks/<type>/<id>.json, tasks/benchmarks.json): read at run time from TASKS_DIR.
for (const f of walk(join(root, 'tasks'))) if (f.endsWith('.json')) copy(f);

// 3. The bundled demo: the task folders the benchmarks name in task_files, and the tiny NV-Embed and BERT
//    checkpoints (src/cli/demo.ts DEMO_MODEL_DIR, DEMO_ENCODER_DIR). Generator scripts stay out.
const benchmarks = JSON.parse(readFileSync(join(root, 'tasks', 'benchmarks.json'), 'utf8')).benchmarks;
const taskDirs = new Set();
for (const b of benchmarks) for (const file of Object.values(b.task_files ?? {})) taskDirs.add(dirname(file));
for (const d of [...taskDirs, 'fixtures/models/nv-embed-tiny', 'fixtures/models/bert-tiny']) {
  if (!existsSync(join(root, d)) || !statSync(join(root, d)).isDirectory()) {
    process.stderr.write(`build: bundled folder ${d} is missing\n`);
    process.exit(1);
  }
  for (const f of walk(join(root, d))) if (!/\.(py|ts)$/.test(f)) copy(f);
}

log(`build: dist/ written (tsc + ${copied} run-time files)`);
