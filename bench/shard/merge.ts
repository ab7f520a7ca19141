// Sharded search (issue 19): what `merge` costs now that shards search their own corpus chunks and merge only
// merges per-chunk top-k lists, and what splitting the search costs the shards in all.
//
// A (library): a synthetic corpus (N x 256, queries near documents, top-1000) split into 1, 4 and 16 chunks; each
//   chunk searched on its own and its list written (src/shard/chunk-lists/); then the merge of the lists, against
//   one exact search over the whole corpus (what merge did before) in the same process, at two corpus sizes.
// B (end to end): a synthetic BEIR task (N documents) through `runEvaluation`: one process, against 4 shards
//   (4 and 16 chunks) + `mergeShards`, with a synthetic embedder (vectors from a text hash: the search dominates,
//   the worst case for the shards' overhead). No cache: every shard embeds the queries itself (the worst case).
// Rounds are interleaved so a shared machine's load hits every variant alike; medians of wall and process CPU
// seconds (all threads). Run: node bin/run-ts.js bench/shard/merge.ts [--quick] [--rounds N]  (JSON on stdout)
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExactSearch } from '../../src/search/exact.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import type { Matrix } from '../../src/core/matrix.js';
import { SyntheticEmbedder, syntheticTask } from './synthetic.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { encodeChunkList, sha256Hex } from '../../src/shard/chunk-lists/format.js';
import { mergeChunkListsWithStats, queryIdsDigest, type MergeStats } from '../../src/shard/chunk-lists/merge-lists.js';
import { chunkListPath } from '../../src/shard/chunk-lists/paths.js';
import { runEvaluation } from '../../src/run/runner.js';
import { mergeShards } from '../../src/shard/merge.js';
import { resolveTasks } from '../../src/registry/index.js';
import { parsePythonJson } from '../../src/output/python-json.js';

const quick = process.argv.includes('--quick');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rounds = Number(arg('--rounds', quick ? '1' : '3'));
const D = 256;
const M = quick ? 200 : 1000;
const K = 1000;
const SIZES = quick ? [20_000, 50_000] : [50_000, 200_000];
const CHUNKS = [1, 4, 16];
const log = (s: string) => process.stderr.write(s + '\n');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-shard-merge-'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed<T>(f: () => Promise<T> | T): Promise<{ wall: number; cpu: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, value };
}

function uniform(rows: number, seed: number): Matrix {
  const r = mulberry32(seed);
  const data = new Float32Array(rows * D);
  for (let i = 0; i < data.length; i++) data[i] = r() * 2 - 1;
  return { rows, dim: D, data };
}
/** Queries near documents (a copy plus 30 % noise): top scores well above the bulk, as real retrieval has. */
function near(c: Matrix, rows: number, seed: number): Matrix {
  const r = mulberry32(seed);
  const data = new Float32Array(rows * D);
  for (let i = 0; i < rows; i++) {
    const j = Math.floor(r() * c.rows);
    for (let d = 0; d < D; d++) data[i * D + d] = c.data[j * D + d] + 0.3 * (r() * 2 - 1);
  }
  return { rows, dim: D, data };
}
const slice = (m: Matrix, a: number, b: number): Matrix => ({ rows: b - a, dim: D, data: m.data.subarray(a * D, b * D) });

// ---- A: merge of lists vs one whole search ----
async function partA() {
  const out: Record<string, unknown>[] = [];
  const search = new ExactSearch();
  for (const N of SIZES) {
    const corpus = uniform(N, 1);
    const ids = Array.from({ length: N }, (_, j) => `d${j}`);
    const queries = near(corpus, M, 2);
    const qids = Array.from({ length: M }, (_, q) => `q${q}`);
    const dirs = new Map<number, string>();
    const shardWork = new Map<number, { wall: number[]; cpu: number[] }>(CHUNKS.map((c) => [c, { wall: [], cpu: [] }]));
    const mergeT = new Map<number, { wall: number[]; cpu: number[] }>(CHUNKS.map((c) => [c, { wall: [], cpu: [] }]));
    const whole = { wall: [] as number[], cpu: [] as number[] };
    const stats = new Map<number, MergeStats>();
    let reference: string[][] = [];
    for (let round = 0; round < rounds; round++) {
      const w = await timed(() => search.search(queries, matrixCorpus(ids, corpus), K, { similarity: 'cosine' }));
      whole.wall.push(w.wall);
      whole.cpu.push(w.cpu);
      reference = w.value.ids;
      for (const c of CHUNKS) {
        const dir = path.join(scratch, `a-${N}-${c}`);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        dirs.set(c, dir);
        const rows = Math.ceil(N / c);
        // The shards' search work: each chunk searched alone, its list encoded and written.
        const s = await timed(async () => {
          for (let i = 0; i < c; i++) {
            const [a, b] = [i * rows, Math.min(N, (i + 1) * rows)];
            const res = await search.search(queries, matrixCorpus(ids.slice(a, b), slice(corpus, a, b)), K, { similarity: 'cosine' });
            const header = {
                            chunk: i,
              of: c,
              rows: b - a,
              k: K,
              similarity: 'cosine',
              queries: M,
              query_ids_sha256: queryIdsDigest(qids),
              query_vectors_sha256: sha256Hex(new Uint8Array(queries.data.buffer)),
              meta: res.meta ?? {},
            };
            writeFileSync(chunkListPath(dir, i, c), encodeChunkList(header, res.ids, res.scores));
          }
        });
        shardWork.get(c)!.wall.push(s.wall);
        shardWork.get(c)!.cpu.push(s.cpu);
        const m = await timed(() => mergeChunkListsWithStats(dir, c, qids, N));
        mergeT.get(c)!.wall.push(m.wall);
        mergeT.get(c)!.cpu.push(m.cpu);
        stats.set(c, m.value.stats);
        if (JSON.stringify(m.value.merged.ids) !== JSON.stringify(reference)) throw new Error(`merged lists differ from the whole search (N ${N}, ${c} chunks)`);
      }
      log(`A N=${N} round ${round + 1}: whole search ${whole.wall.at(-1)!.toFixed(2)} s; merge ${CHUNKS.map((c) => `${c}: ${mergeT.get(c)!.wall.at(-1)!.toFixed(3)} s`).join(', ')}`);
    }
    const wholeWall = median(whole.wall);
    const wholeCpu = median(whole.cpu);
    out.push({
      corpus: N,
      wholeSearch: { wall: wholeWall, cpu: wholeCpu },
      chunks: CHUNKS.map((c) => ({
        chunks: c,
        listBytes: K * M * 8,
        // What the merge read of the lists (heads, and tails where a query needed them; format.ts).
        bytesRead: stats.get(c)!.bytesRead,
        bytesTotal: stats.get(c)!.bytesTotal,
        tailsRead: stats.get(c)!.tailsRead,
        merge: { wall: median(mergeT.get(c)!.wall), cpu: median(mergeT.get(c)!.cpu) },
        mergeOverWholeSearch: { wall: median(mergeT.get(c)!.wall) / wholeWall, cpu: median(mergeT.get(c)!.cpu) / wholeCpu },
        shardSearch: { wall: median(shardWork.get(c)!.wall), cpu: median(shardWork.get(c)!.cpu) },
        shardSearchOverWhole: { wall: median(shardWork.get(c)!.wall) / wholeWall, cpu: median(shardWork.get(c)!.cpu) / wholeCpu },
      })),
    });
  }
  await search.close();
  return out;
}

// ---- B: end to end through runEvaluation / mergeShards ----
async function partB(N: number) {
  const taskFile = syntheticTask(scratch, N, M);
  const tasks = () => resolveTasks([taskFile]);
  const shards = 4;
  const single = { wall: [] as number[], cpu: [] as number[] };
  const variants = [4, 16].map((chunks) => ({ chunks, shards: { wall: [] as number[], cpu: [] as number[] }, merge: { wall: [] as number[], cpu: [] as number[] } }));
  let want = '';
  const readMain = async (out: string) =>
    JSON.stringify((parsePythonJson(readFileSync(path.join(out, 'bench__synthetic', 'r1', 'BenchShardRetrieval.json'), 'utf8')) as { scores: unknown }).scores);
  for (let round = 0; round < rounds; round++) {
    const out = path.join(scratch, `b-single-${round}`);
    const s = await timed(() => runEvaluation({ tasks: tasks(), embedder: new SyntheticEmbedder(D), outputDir: out }));
    if (s.value.outcomes.some((o) => o.status === 'failed')) throw new Error(JSON.stringify(s.value.outcomes));
    single.wall.push(s.wall);
    single.cpu.push(s.cpu);
    want = await readMain(out);
    for (const v of variants) {
      const vout = path.join(scratch, `b-${v.chunks}-${round}`);
      let wall = 0;
      let cpu = 0;
      for (let i = 0; i < shards; i++) {
        const t = await timed(() =>
          runEvaluation({ tasks: tasks(), embedder: new SyntheticEmbedder(D), outputDir: vout, shard: { index: i, count: shards, chunkRows: Math.ceil(N / v.chunks) } }),
        );
        wall += t.wall;
        cpu += t.cpu;
      }
      v.shards.wall.push(wall);
      v.shards.cpu.push(cpu);
      const m = await timed(() => mergeShards({ tasks: tasks(), embedder: new SyntheticEmbedder(D), outputDir: vout, count: shards }));
      if (m.value.outcomes.some((o) => o.status === 'failed')) throw new Error(JSON.stringify(m.value.outcomes));
      v.merge.wall.push(m.wall);
      v.merge.cpu.push(m.cpu);
      if ((await readMain(vout)) !== want) throw new Error(`sharded scores differ (${v.chunks} chunks)`);
    }
    log(`B N=${N} round ${round + 1}: single ${single.wall.at(-1)!.toFixed(2)} s; ${variants.map((v) => `${v.chunks} chunks: shards ${v.shards.wall.at(-1)!.toFixed(2)} s + merge ${v.merge.wall.at(-1)!.toFixed(2)} s`).join('; ')}`);
  }
  return {
    corpus: N,
    shards,
    single: { wall: median(single.wall), cpu: median(single.cpu) },
    variants: variants.map((v) => ({
      chunks: v.chunks,
      shardsTotal: { wall: median(v.shards.wall), cpu: median(v.shards.cpu) },
      shardsOverSingle: { wall: median(v.shards.wall) / median(single.wall), cpu: median(v.shards.cpu) / median(single.cpu) },
      merge: { wall: median(v.merge.wall), cpu: median(v.merge.cpu) },
      mergeOverSingle: median(v.merge.wall) / median(single.wall),
    })),
  };
}

try {
  const loadBefore = os.loadavg()[0];
  const a = await partA();
  const b = await partB(SIZES.at(-1)!);
  process.stdout.write(
    JSON.stringify({ machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`, loadavg: [loadBefore, os.loadavg()[0]], dim: D, queries: M, k: K, rounds, partA: a, partB: b }, null, 2) + '\n',
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
