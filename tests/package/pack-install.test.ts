import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildLeaderboard, resolveEmbedder, runEvaluation } from '../../src/index.js';
import { benchmarkTaskSpecs, getBenchmark } from '../../src/public/registry.js';
import { writeConsumerLock } from './consumer-lock.js';

/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepack`), the tarball installed
 * OFFLINE into a fresh folder from the npm cache that `npm ci` filled, then `npx mteb-ts demo`, `mteb-ts
 * report`, a TypeScript consumer compiled against the published types, and the installed library called.
 *
 * Offline install: `npm install --offline <tgz>` alone needs the registry's package documents to resolve the
 * tarball's version ranges, and `npm ci` caches only tarballs (by integrity). So the consumer gets a lockfile
 * made from this repository's (consumer-lock.ts): the same versions and integrities `npm ci` just installed,
 * which `npm ci --offline` then takes from the cache. No network at any step.
 */
const REPO = path.resolve('.');
const MAX_TARBALL_BYTES = 4 * 1024 * 1024;
const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

let work: string;
let app: string;
let tarball: string;
let packed: { path: string; size: number }[];
let packInfo: { size: number; unpackedSize: number; entryCount: number };

function sh(cmd: string, args: string[], cwd: string, timeoutMs = 300_000) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
    // CPU-only onnxruntime install (no CUDA download), as .ci/run and the README do.
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
  const out = { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
  return { ...out, describe: `${cmd} ${args.join(' ')} (cwd ${cwd}) -> ${out.code}${r.error ? ' ' + r.error.message : ''}\n${out.stderr.slice(-4000)}` };
}

function ok(r: ReturnType<typeof sh>) {
  if (r.code !== 0) throw new Error(r.describe);
  return r;
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'mteb-ts-pack-'));
  app = path.join(work, 'app');
  mkdirSync(app);
  const pack = ok(sh('npm', ['pack', '--json', '--pack-destination', work], REPO, 400_000));
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
  tarball = path.join(work, info.filename);
  packed = info.files;
  packInfo = info;
  writeConsumerLock(REPO, app, tarball);
  ok(sh('npm', ['ci', '--offline'], app, 400_000));
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack + offline install + use, as a user', () => {
  test('the tarball holds the build, the registry and the bundled demo, and no tests, fixtures or sources', () => {
    const paths = packed.map((f) => f.path);
    expect(existsSync(tarball)).toBe(true);
    expect(packInfo.size).toBeLessThan(MAX_TARBALL_BYTES);
    for (const p of [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/mteb-ts.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'dist/src/public/metrics.d.ts',
      'dist/src/search/blas/kernels.wasm',
      'dist/src/search/canonical/canonical.wasm',
      'dist/src/search/canonical/canonical-native.linux-x64.so',
      'dist/src/metrics/numeric/dense64/dense64-native.linux-x64.so',
      'dist/tasks/benchmarks.json',
      'dist/tasks/Retrieval/ArguAna.json',
      'dist/fixtures/tasks/DemoRetrieval/task.json',
      'dist/fixtures/models/nv-embed-tiny/config.json',
      'dist/fixtures/models/bert-tiny/config.json',
    ]) {
      expect(paths).toContain(p);
    }
    const unwanted = paths.filter((p) => /^(tests|src|bench|scripts|runners|\.ci|fixtures)\//.test(p) || /golden|\.test\.|\.py$|\.wat$|tsconfig/.test(p));
    expect(unwanted).toEqual([]);
    // the only fixtures are the demo's: the 8 demo tasks and the two tiny models
    const fixtureDirs = new Set(paths.filter((p) => p.startsWith('dist/fixtures/')).map((p) => p.split('/').slice(2, 4).join('/')));
    expect([...fixtureDirs].sort()).toEqual([
      'models/bert-tiny',
      'models/nv-embed-tiny',
      'tasks/DemoBitextMining',
      'tasks/DemoClassification',
      'tasks/DemoClustering',
      'tasks/DemoPairClassification',
      'tasks/DemoReranking',
      'tasks/DemoRetrieval',
      'tasks/DemoSTS',
      'tasks/DemoSummarization',
    ]);
  });

  test('npx mteb-ts demo, then mteb-ts report on its results: the scores the sources compute', async () => {
    const demo = ok(sh('npx', ['--offline', 'mteb-ts', 'demo', '-o', 'demo-results'], app, 400_000));
    expect(demo.stdout).toContain('DemoRetrieval');
    expect(demo.stdout).toContain('compare mteb-ts/nv-embed-tiny (baseline) -> mteb-ts/bert-tiny');
    for (const m of ['mteb-ts__bert-tiny', 'mteb-ts__hash-512', 'mteb-ts__nv-embed-tiny', 'mteb-ts__random-256']) {
      expect(existsSync(path.join(app, 'demo-results', m, 'no_revision_available', 'DemoSTS.json'))).toBe(true);
    }
    const report = ok(sh('npx', ['--offline', 'mteb-ts', 'report', 'demo-results', '--format', 'json'], app));
    const lb = JSON.parse(report.stdout);
    expect(lb.benchmark).toBe('demo');
    expect(lb.models.map((m: { model: string }) => m.model).sort()).toEqual(['mteb-ts/bert-tiny', 'mteb-ts/hash-512', 'mteb-ts/nv-embed-tiny', 'mteb-ts/random-256']);
    const installed = lb.models.find((m: { model: string }) => m.model === 'mteb-ts/hash-512');
    expect(Object.keys(installed.tasks)).toHaveLength(8);

    // The same model through the sources in this process: the installed build must compute the same scores.
    const out = path.join(work, 'from-source');
    const embedder = await resolveEmbedder('hash:512');
    await runEvaluation({ tasks: benchmarkTaskSpecs(getBenchmark('demo')), embedder, outputDir: out, batchSize: 32 });
    const fromSource = buildLeaderboard([out], { benchmark: 'demo' }).models[0];
    for (const [task, score] of Object.entries(installed.tasks)) {
      expect([task, score]).toEqual([task, fromSource.tasks[task]?.value]);
    }
  }, 600_000);

  // The prebuilt native kernels ship without their C sources (so without the freshness check a source checkout
  // makes) and must still load from the installed package; elsewhere the WebAssembly kernels run (same bits).
  (process.platform === 'linux' && process.arch === 'x64' ? test : test.skip)('the installed package loads its native kernels (linux-x64)', () => {
    const dist = path.join(app, 'node_modules', 'mteb-ts', 'dist', 'src');
    expect(existsSync(path.join(dist, 'metrics', 'numeric', 'dense64', 'dense64-native.c'))).toBe(false);
    const probe = [
      `const d = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'metrics', 'numeric', 'dense64', 'native-kernels.js')).href)});`,
      `const c = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'search', 'canonical', 'native-kernel.js')).href)});`,
      'console.log(JSON.stringify({ dense64: d.dense64Native()?.level ?? 0, canonical: c.nativeIsas() }));',
    ].join('\n');
    const env = { ...process.env };
    delete env.MTEB_TS_NATIVE;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: app, encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout);
    expect(got.dense64).toBeGreaterThan(0);
    expect(got.canonical.length).toBeGreaterThan(0);
  });

  test('a TypeScript consumer compiles against the published types (root and subpaths) and runs', () => {
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [path.join(REPO, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      path.join(app, 'consumer.ts'),
      [
        "import { runEvaluation, resolveEmbedder, buildLeaderboard, compareRuns, evaluateGate, evaluateRetrieval, MtebError } from 'mteb-ts';",
        "import type { Embedder, RunOptions, RunSummary, TaskSpec, Leaderboard, GateVerdict, Qrels, Run } from 'mteb-ts';",
        "import { evaluateSTS, retrieval } from 'mteb-ts/metrics';",
        "import { renderReport } from 'mteb-ts/report';",
        "import { getTask } from 'mteb-ts/registry';",
        "import { createScoreEngine } from 'mteb-ts/search';",
        "import { HashEmbedder, createNvEmbedEmbedder } from 'mteb-ts/embedders';",
        "import { EmbeddingCache } from 'mteb-ts/cache';",
        '',
        'export async function evaluate(spec: TaskSpec, out: string): Promise<RunSummary> {',
        "  const embedder: Embedder = await resolveEmbedder('hash:64');",
        '  const opts: RunOptions = { tasks: [spec], embedder, outputDir: out };',
        '  return runEvaluation(opts);',
        '}',
        "const lb: Leaderboard = buildLeaderboard(['results'], { benchmark: 'demo' });",
        "export const text: string = renderReport(lb, 'markdown');",
        "export const verdict = (): GateVerdict => evaluateGate(compareRuns(['a'], ['b'], { benchmark: 'demo' }));",
        'export const stsFn: typeof evaluateSTS = evaluateSTS;',
        'export const ks: readonly number[] = retrieval.DEFAULT_K_VALUES;',
        "export const task: TaskSpec = getTask('ArguAna');",
        'export const engine = createScoreEngine;',
        'export const nv = createNvEmbedEmbedder;',
        'export const hash = new HashEmbedder(8);',
        'export const cacheClass: typeof EmbeddingCache = EmbeddingCache;',
        'export const isErr = (e: unknown): boolean => e instanceof MtebError;',
        "export const scores = (q: Qrels, r: Run): Record<string, number> => evaluateRetrieval(q, r, { protocol: 'mteb-2' }).scores;",
        // The types are real, not `any`: each of these must be a type error (else tsc reports the unused directive).
        '// @ts-expect-error runEvaluation takes options, not a string',
        "runEvaluation('ArguAna');",
        '// @ts-expect-error a RunSummary is not a number',
        'export const wrong: number = null as unknown as RunSummary;',
        '',
      ].join('\n'),
    );
    const tsc = sh(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);

    // The installed library at run time, plain Node (no TypeScript): root and subpath entries resolve and work.
    writeFileSync(
      path.join(app, 'use.mjs'),
      [
        "import { evaluateRetrieval, resolveEmbedder, getTask } from 'mteb-ts';",
        "import { stats } from 'mteb-ts/metrics';",
        "const qrels = new Map([['q1', new Map([['d1', 1]])]]);",
        "const run = new Map([['q1', new Map([['d1', 0.9], ['d2', 0.5]])]]);",
        "const r = evaluateRetrieval(qrels, run, { kValues: [1], protocol: 'mteb-2' });",
        "const e = await resolveEmbedder('hash:16');",
        "console.log(JSON.stringify({ ndcg1: r.scores.ndcg_at_1, dim: e.dimension, type: getTask('ArguAna').type, spearman: stats.spearman([1, 2, 3], [1, 2, 3]) }));",
      ].join('\n'),
    );
    const use = ok(sh(process.execPath, ['use.mjs'], app));
    expect(JSON.parse(use.stdout)).toEqual({ ndcg1: 1, dim: 16, type: 'Retrieval', spearman: 1 });
  }, 300_000);

  test('without onnxruntime-node (an install that omitted the optional package): one error naming the install command; report still works', () => {
    rmSync(path.join(app, 'node_modules', 'onnxruntime-node'), { recursive: true, force: true });
    const tiny = path.join(app, 'node_modules', 'mteb-ts', 'dist', 'fixtures', 'models', 'nv-embed-tiny');
    const r = sh('npx', ['--offline', 'mteb-ts', 'run', '-m', `nvembed:${tiny}`, '-t', 'DemoSTS', '-o', 'no-ort'], app);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error[E_DEPENDENCY_MISSING] NV-Embed (model spec nvembed:) needs the optional package onnxruntime-node, which is not installed: run `npm install onnxruntime-node`',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // one line, no stack trace
    ok(sh('npx', ['--offline', 'mteb-ts', 'report', 'demo-results'], app));
  }, 300_000);
});
