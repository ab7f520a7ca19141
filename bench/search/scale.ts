// The "Scale" benchmarks in one command: exact search vs numpy/OpenBLAS, JS loops, HNSW, embedding cache vs
// raw I/O, and peak RSS of a 1M x 1,024 search. ~3-5 min on 2 cores; --quick shrinks every shape (~1 min).
// Run: node bin/run-ts.js bench/search/scale.ts [--quick]
// Writes bench/search/scale-results.json (--quick: scale-results-quick.json, not committed) and prints a markdown
// summary for docs/BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';

const extra = process.argv.includes('--quick') ? ['--quick'] : [];
const run = (script: string) => {
  process.stderr.write(`== ${script}\n`);
  const t = performance.now();
  const out = JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', script, ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 }));
  process.stderr.write(`   ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
  return out;
};
const t0 = performance.now();
const search = run('bench/search/run.ts');
const cache = run('bench/cache/run.ts');
const memory = run('bench/memory/run.ts');
const total = (performance.now() - t0) / 1000;
const results = { date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, total_seconds: total, search, cache, memory };
// --quick never replaces the full run's raw numbers that docs/BENCHMARKS.md quotes.
writeFileSync(extra.length ? 'bench/search/scale-results-quick.json' : 'bench/search/scale-results.json', JSON.stringify(results, null, 2) + '\n');

const f = (x: number, d = 2) => x.toFixed(d);
const spread = (k: string) => {
  const secs: number[] = search.per_round_seconds?.[k] ?? [];
  const ratios: number[] = search.per_round_vs_numpy_bare?.[k] ?? [];
  return secs.map((s, r) => (ratios[r] !== undefined ? `${f(s)} (${f(ratios[r])})` : f(s))).join(', ');
};
const { M, D, N, K } = search.shape;
const np = search.numpy;
const lines = [
  `Machine: ${results.machine.cpus} vCPU ${results.machine.cpu}, ${results.machine.memGiB} GiB, Node ${results.machine.node}; numpy ${np.numpy ?? "?"} (${(np.kernel ?? []).join("; ")}). Best of ${search.rounds} interleaved rounds. Total ${f(total, 0)} s.`,
  '',
  `| exact top-${K}, ${M} queries x ${N} docs x ${D} dims | seconds (best) | GFLOP/s | best vs numpy's best | median ratio to numpy bracketing it | per round: seconds (ratio to the mean of numpy's bare matmul just before and after) |`,
  '|---|---|---|---|---|---|',
  `| numpy/OpenBLAS bare matmul (50k-doc chunks; ${(search.per_round_seconds.numpy_bare_all ?? []).length} measurements) | ${f(np.bare_s)} | ${f(np.bare_gflops, 1)} | 1.00 | 1.00 | ${(search.per_round_seconds.numpy_bare_all ?? []).map((x: number) => f(x)).join(', ')} |`,
  `| numpy normalise + matmul (cosine as mteb's cos_sim computes it) | ${f(np.cos_s)} | ${f(np.cos_gflops, 1)} | ${f(np.cos_gflops / np.bare_gflops)} | | ${spread('numpy_cos')} |`,
  `| numpy matmul + argpartition top-k | ${f(np.topk_s)} | ${f(np.topk_gflops, 1)} | ${f(np.topk_gflops / np.bare_gflops)} | | ${spread('numpy_topk')} |`,
  ...(['blas', 'onnx'] as const).flatMap((e) =>
    (['dot', 'cosine', 'dot_fp16'] as const).map((s) => {
      const r = search[`exact_${e}_${s}`];
      const what = e === 'blas' ? `BLAS engine (${search.engines?.blas ?? 'system BLAS'} via FFI + SIMD scan)` : 'onnxruntime engine (Gemm + TopK)';
      return `| mteb-ts exact, ${what}, ${s.replace('_', ', ')} storage${s === 'dot_fp16' ? '' : ' fp32'} | ${f(r.seconds)} | ${f(r.gflops, 1)} | ${f(r.gflops / np.bare_gflops)} | **${f(search.median_vs_numpy_bare[`${e}_${s}`])}** | ${spread(`${e}_${s}`)} |`;
    }),
  ),
  `| BLAS-engine cosine vs numpy normalise + matmul, same round (median; per round) | | | | **${f([...search.per_round_cosine_vs_numpy_normalise_matmul.blas].sort((a: number, b: number) => a - b)[Math.floor(search.per_round_cosine_vs_numpy_normalise_matmul.blas.length / 2)])}** | ${search.per_round_cosine_vs_numpy_normalise_matmul.blas.map((x: number) => f(x)).join(', ')} |`,
  `| plain JS loops (${search.exact_js_dot.shape.M} x ${search.exact_js_dot.shape.N} slice) | ${f(search.exact_js_dot.seconds)} | ${f(search.exact_js_dot.gflops, 2)} | ${f(search.exact_js_dot.gflops / np.bare_gflops, 3)} | | |`,
  '',
  '| HNSW (clustered vectors, cosine, top-10) | build s | query s | recall@10 vs exact |',
  '|---|---|---|---|',
  ...['hnsw_ef16', 'hnsw_ef64', 'hnsw_ef200'].map((k) => `| M=${search[k].M}, efConstruction=${search[k].efConstruction}, efSearch=${search[k].efSearch} | ${f(search[k].build_seconds)} | ${f(search[k].query_seconds, 3)} | ${f(search[k].recall_at_10, 3)} |`),
  `| exact search, same queries | - | ${f(search.hnsw_exact_baseline_seconds, 3)} | 1.000 |`,
  '',
  `| embedding cache, ${cache.vectors} x ${cache.dim} float32 (${f(cache.bytes / 2 ** 20, 0)} MiB), calls of ${cache.batch} texts, chunks of ${cache.chunk_rows} rows (${cache.files_written} files) | seconds | MiB/s |`,
  '|---|---|---|',
  `| cache write (digest, buffer, Arrow encode, sha256, fsync, rename, index) | ${f(cache.cache_write_s)} | ${f(cache.cache_write_MiBps, 0)} |`,
  `| raw write + fsync, same bytes | ${f(cache.raw_write_fsync_s)} | ${f(cache.raw_write_MiBps, 0)} |`,
  `| cache open in a new process (read indexes) + first call | ${f(cache.cache_open_first_call_s, 3)} | - |`,
  `| cache read, new process (open + verify each chunk once + gather) | ${f(cache.cache_read_cold_process_s)} | ${f(cache.cache_read_cold_process_MiBps, 0)} |`,
  `| cache read, same process | ${f(cache.cache_read_same_process_s)} | ${f(cache.bytes / cache.cache_read_same_process_s / 2 ** 20, 0)} |`,
  `| raw read, same bytes | ${f(cache.raw_read_s)} | ${f(cache.raw_read_MiBps, 0)} |`,
  '',
  '| exact top-100 over precomputed .npy, cosine | docs x dims | queries | seconds | peak RSS | RSS / corpus bytes |',
  '|---|---|---|---|---|---|',
  ...memory.map((r: any) => `| ${r.mode === 'stream' ? 'streamed from file' : 'corpus in memory'} | ${r.rows} x ${r.dim} | ${r.queries} | ${f(r.seconds)} | ${f(r.peak_rss_bytes / 2 ** 30)} GiB | ${f(r.rss_over_corpus)} |`),
];
process.stdout.write(lines.join('\n') + '\n');
