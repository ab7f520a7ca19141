// What canonical rescoring costs: exact search (engine proposes, candidates rescored in fixed-order float64)
// against the bare engine on the same chunks (setChunk + topk with the old k + 33 candidates, no rescoring),
// interleaved in the same process, several rounds. Shape of the issue: 1,000 queries x 100,000 docs x 1,024.
// Run: node bin/run-ts.js bench/search/rescore.ts [--quick] [--rounds N] [--engine blas|onnx]  (JSON on stdout)
//   [--k 100,1000] [--similarity cosine,dot] [--queries uniform,near]: only those configurations;
//   [--compare path/to/exact.ts]: also times that ExactSearch (e.g. an earlier commit's src exported with
//   `git archive <commit> src | tar -x -C .scratch/before`), interleaved round by round with this one on the same
//   engine and data, so a shared machine's load hits both alike; its results must be identical.
//   [--native-compare]: also runs this ExactSearch with the native canonical kernel off (MTEB_TS_NATIVE=0) in every
//   round, right after the run with it on (as the environment has it), same engine and data; identical results required.
// Process CPU seconds (all threads) are recorded next to wall time: less sensitive to other jobs' load; so is the
// machine's load average (1 minute) at the start, at every round and at the end.
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ExactSearch } from '../../src/search/exact.js';
import { createScoreEngine } from '../../src/search/score-engine.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { rowNormBoundOf } from '../../src/search/row-norm-bound.js';
import { nativeKernel } from '../../src/search/canonical/native-kernel.js';
import type { Matrix } from '../../src/core/matrix.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

const quick = process.argv.includes('--quick');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rounds = Number(arg('--rounds', quick ? '1' : '3'));
const engineName = arg('--engine', 'blas') as 'blas' | 'onnx';
// Filters, to profile one configuration: --k 1000 --similarity cosine --queries near
const ks = arg('--k', '100,1000').split(',').map(Number);
const sims = arg('--similarity', 'cosine,dot').split(',') as ('cosine' | 'dot')[];
const qsets = arg('--queries', 'uniform,near').split(',');
const log = (s: string) => process.stderr.write(s + '\n');
const [M, N, D] = quick ? [200, 20000, 256] : [1000, 100000, 1024];

function uniform(rows: number, dim: number, seed: number): Matrix {
  const r = mulberry32(seed);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = r() * 2 - 1;
  return { rows, dim, data };
}

/** Queries near documents (a copy plus 30 % noise): top scores well above the bulk, as real retrieval has. */
function nearQueries(c: Matrix, rows: number, seed: number): Matrix {
  const r = mulberry32(seed);
  const data = new Float32Array(rows * c.dim);
  for (let i = 0; i < rows; i++) {
    const j = Math.floor(r() * c.rows);
    for (let d = 0; d < c.dim; d++) data[i * c.dim + d] = c.data[j * c.dim + d] + 0.3 * (r() * 2 - 1);
  }
  return { rows, dim: c.dim, data };
}

const corpus = uniform(N, D, 1);
const ids = Array.from({ length: N }, (_, j) => `d${j}`);
// One provider for every search, as a run has one corpus. Its chunks' row-norm bounds (dot products' error bound)
// are taken here, outside the timed searches, as a run's embedded corpus takes them where the vectors arrive
// (src/task-types/retrieval/embedded-corpus.ts); `--compare`'s older code ignores them and takes its own.
const provider = matrixCorpus(ids, corpus);
const tb = performance.now();
for await (const chunk of provider.chunks()) rowNormBoundOf(chunk);
const boundSeconds = (performance.now() - tb) / 1000;
const queries = { uniform: uniform(M, D, 2), near: nearQueries(corpus, M, 3) };
const loadStart = os.loadavg();
const engine = await createScoreEngine(engineName);
log(`engine ${engine.name}: ${engine.description ?? ''}; ${M} x ${N} x ${D}, ${rounds} rounds`);

async function bare(q: Matrix, k: number, similarity: 'cosine' | 'dot'): Promise<number> {
  const t = performance.now();
  for await (const chunk of provider.chunks()) {
    await engine.setChunk(chunk.data, chunk.ids.length, D, similarity);
    for (let s = 0; s < q.rows; s += 1024) {
      const m = Math.min(1024, q.rows - s);
      await engine.topk(q.data.subarray(s * D, (s + m) * D), m, Math.min(chunk.ids.length, k + 33));
    }
  }
  return (performance.now() - t) / 1000;
}

const compare = arg('--compare', '');
const nativeCompare = process.argv.includes('--native-compare');
const nativeEnv = process.env.MTEB_TS_NATIVE;
/** Runs `f` with the native kernel off (MTEB_TS_NATIVE=0), then restores the environment. */
async function wasmOnly<T>(f: () => Promise<T>): Promise<T> {
  process.env.MTEB_TS_NATIVE = '0';
  try {
    return await f();
  } finally {
    if (nativeEnv === undefined) delete process.env.MTEB_TS_NATIVE;
    else process.env.MTEB_TS_NATIVE = nativeEnv;
  }
}
type Search = { search: ExactSearch['search'] };
const Before = compare ? ((await import(path.resolve(compare))).ExactSearch as new (o: object) => Search) : undefined;

/** Wall and process CPU seconds of one search, with its diagnostics and a digest of its results. */
async function timed(s: Search, q: Matrix, k: number, similarity: 'cosine' | 'dot') {
  const t = performance.now();
  const c0 = process.cpuUsage();
  const res = await s.search(q, provider, k, { similarity });
  const c = process.cpuUsage(c0);
  const digest = createHash('sha256');
  for (let i = 0; i < res.ids.length; i++) digest.update(res.ids[i].join('\n')).update(new Uint8Array(Float32Array.from(res.scores[i]).buffer));
  return { wall: (performance.now() - t) / 1000, cpu: (c.user + c.system) / 1e6, d: res.diagnostics!, digest: digest.digest('hex') };
}

const results: Record<string, unknown>[] = [];
for (const k of ks) {
  for (const similarity of sims) {
    for (const [qname, q] of Object.entries(queries).filter(([name]) => qsets.includes(name))) {
      type Round = { load: number; bare: number; bare_cpu: number; search: number; search_cpu: number; rescore: number; parts: Record<string, number>; rescored: number; rescans: number; streamed: number; before?: { search: number; search_cpu: number; rescore: number }; wasm?: { search: number; search_cpu: number; rescore: number; parts: Record<string, number> } };
      const rows: Round[] = [];
      for (let r = 0; r < rounds; r++) {
        const c0 = process.cpuUsage();
        const b = await bare(q, k, similarity);
        const bc = process.cpuUsage(c0);
        const now = await timed(new ExactSearch({ engine }), q, k, similarity);
        const sec = now.d.seconds!;
        const round: Round = {
          load: Math.round(os.loadavg()[0] * 100) / 100,
          bare: b,
          bare_cpu: (bc.user + bc.system) / 1e6,
          search: now.wall,
          search_cpu: now.cpu,
          rescore: sec.rescore,
          parts: { copy: sec.rescoreCopy, kernel: sec.rescoreKernel, order: sec.rescoreOrder, pending_upkeep: sec.pendingUpkeep },
          rescored: now.d.rescored!,
          rescans: now.d.fullRowRescans!,
          streamed: now.d.streamedChunks ?? 0,
        };
        if (nativeCompare) {
          const w = await wasmOnly(() => timed(new ExactSearch({ engine }), q, k, similarity));
          if (w.digest !== now.digest) throw new Error(`k=${k} ${similarity} ${qname}: results differ with MTEB_TS_NATIVE=0`);
          const ws = w.d.seconds!;
          round.wasm = { search: w.wall, search_cpu: w.cpu, rescore: ws.rescore, parts: { copy: ws.rescoreCopy, kernel: ws.rescoreKernel, order: ws.rescoreOrder, pending_upkeep: ws.pendingUpkeep } };
        }
        if (Before) {
          const was = await timed(new Before({ engine }), q, k, similarity);
          if (was.digest !== now.digest) throw new Error(`k=${k} ${similarity} ${qname}: results differ from ${compare}`);
          round.before = { search: was.wall, search_cpu: was.cpu, rescore: was.d.seconds!.rescore };
        }
        rows.push(round);
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const row = {
        k,
        similarity,
        queries: qname,
        bare_engine_s: med(rows.map((x) => x.bare)),
        search_s: med(rows.map((x) => x.search)),
        rescore_s: med(rows.map((x) => x.rescore)),
        rescore_share_of_search: med(rows.map((x) => x.rescore / x.search)),
        search_over_bare: med(rows.map((x) => x.search / x.bare)),
        search_cpu_s: med(rows.map((x) => x.search_cpu)),
        bare_engine_cpu_s: med(rows.map((x) => x.bare_cpu)),
        parts_s: Object.fromEntries(Object.keys(rows[0].parts).map((p) => [p, med(rows.map((x) => x.parts[p]))])),
        ...(Before
          ? {
              before: {
                search_s: med(rows.map((x) => x.before!.search)),
                search_cpu_s: med(rows.map((x) => x.before!.search_cpu)),
                rescore_s: med(rows.map((x) => x.before!.rescore)),
                rescore_share_of_search: med(rows.map((x) => x.before!.rescore / x.before!.search)),
              },
            }
          : {}),
        ...(nativeCompare
          ? {
              wasm: {
                search_s: med(rows.map((x) => x.wasm!.search)),
                search_cpu_s: med(rows.map((x) => x.wasm!.search_cpu)),
                rescore_s: med(rows.map((x) => x.wasm!.rescore)),
                rescore_share_of_search: med(rows.map((x) => x.wasm!.rescore / x.wasm!.search)),
                parts_s: Object.fromEntries(Object.keys(rows[0].wasm!.parts).map((p) => [p, med(rows.map((x) => x.wasm!.parts[p]))])),
                rescore_ratio_native_over_wasm: med(rows.map((x) => x.rescore / x.wasm!.rescore)),
              },
            }
          : {}),
        rescored_per_query: rows[0].rescored / M,
        full_row_rescans: rows[0].rescans,
        streamed_chunks: rows[0].streamed,
        rounds: rows,
      };
      log(`k=${k} ${similarity} ${qname}: search ${row.search_s.toFixed(2)} s, bare engine ${row.bare_engine_s.toFixed(2)} s, rescore ${row.rescore_s.toFixed(3)} s (${(100 * row.rescore_share_of_search).toFixed(1)} %), ${row.rescored_per_query.toFixed(0)} rescored/query, ${row.full_row_rescans} rescans; parts ${JSON.stringify(row.parts_s)}${row.wasm ? `; MTEB_TS_NATIVE=0: search ${row.wasm.search_s.toFixed(2)} s, rescore ${row.wasm.rescore_s.toFixed(3)} s (${(100 * row.wasm.rescore_share_of_search).toFixed(1)} %) ${JSON.stringify(row.wasm.parts_s)}` : ''}${row.before ? `; before: search ${row.before.search_s.toFixed(2)} s, rescore ${row.before.rescore_s.toFixed(3)} s (${(100 * row.before.rescore_share_of_search).toFixed(1)} %)` : ''}`);
      results.push(row);
    }
  }
}
await engine.close();
process.stdout.write(JSON.stringify({ date: new Date().toISOString(), load_average: { start: loadStart, end: os.loadavg() }, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, engine: engine.description ?? engine.name, native_kernel: nativeKernel()?.isa ?? 'off', shape: { M, N, D }, row_norm_bounds_outside_search_s: boundSeconds, ...(compare ? { compared_with: compare } : {}), results }, null, 2) + '\n');
