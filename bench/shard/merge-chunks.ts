// Issue 19's bench line "merge time on a corpus split into 1, 4 and 16 chunks (should stay flat)", for the list
// merge alone (src/shard/chunk-lists/merge-lists.ts), without searching: synthetic per-chunk lists of the shape
// a search writes (per query the chunk's top-k in rank order, ids drawn from the chunk's documents, scores that
// interleave across chunks as a uniform corpus's do), so many chunk counts and corpus sizes fit in seconds.
// Each round times every chunk count one after another (interleaved against a shared machine's load); medians of
// process CPU and wall seconds, and per round the ratio to the 1-chunk merge of that round.
// Run: node bin/run-ts.js bench/shard/merge-chunks.ts [--rounds N] [--queries M] [--k K] [--corpus N]  (JSON on stdout)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { encodeChunkList, sha256Hex } from '../../src/shard/chunk-lists/format.js';
import { mergeChunkListsWithStats, queryIdsDigest } from '../../src/shard/chunk-lists/merge-lists.js';
import { chunkListPath } from '../../src/shard/chunk-lists/paths.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return Number(i > 0 ? process.argv[i + 1] : dflt);
};
const rounds = arg('--rounds', '5');
const M = arg('--queries', '1000');
const K = arg('--k', '1000');
const N = arg('--corpus', '200000');
const CHUNKS = [1, 4, 16];
const log = (s: string) => process.stderr.write(s + '\n');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-merge-chunks-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The float32 just below a positive float32. */
const nextDown = (v: number) => {
  f32[0] = v;
  u32[0]--;
  return f32[0];
};
const qids = Array.from({ length: M }, (_, q) => `q${q}`);

/**
 * The lists of a corpus of N documents cut into `of` chunks: per query, every document gets a uniform score (a
 * float32 in [0, 1) from a hash of query and document) and each chunk's list is its top-K. Only the top of each
 * chunk is drawn: the K largest of n uniforms are 1 - (sorted partial sums of exponentials)/n, close enough.
 */
function writeLists(of: number): string {
  const dir = path.join(scratch, `c${of}`);
  mkdirSync(dir, { recursive: true });
  const rows = Math.ceil(N / of);
  for (let c = 0; c < of; c++) {
    const n = Math.min(N, (c + 1) * rows) - c * rows;
    const r = mulberry32(1000 + c);
    const ids: string[][] = [];
    const scores: Float32Array[] = [];
    for (let q = 0; q < M; q++) {
      const kk = Math.min(K, n);
      const s = new Float32Array(kk);
      const l: string[] = [];
      let x = 0;
      const seen = new Set<number>();
      for (let i = 0; i < kk; i++) {
        x += -Math.log(1 - r()) / n;
        // Strictly decreasing within the chunk: its ties would need the doc id order a search gives them.
        s[i] = i && Math.fround(1 - x) >= s[i - 1] ? nextDown(s[i - 1]) : Math.fround(1 - x);
        let j = Math.floor(r() * n);
        while (seen.has(j)) j = (j + 1) % n;
        seen.add(j);
        l.push(`doc-${c * rows + j}`);
      }
      ids.push(l);
      scores.push(s);
    }
    const info = {
      chunk: c,
      of,
      rows: n,
      k: K,
      similarity: 'cosine',
      queries: M,
      query_ids_sha256: queryIdsDigest(qids),
      query_vectors_sha256: sha256Hex('bench'),
      meta: { search: 'exact', search_scores: 'canonical-f64-v1' },
    };
    writeFileSync(chunkListPath(dir, c, of), encodeChunkList(info, ids, scores));
  }
  return dir;
}

const dirs = new Map(CHUNKS.map((c) => [c, writeLists(c)]));
log(`lists written: ${N} docs, ${M} queries, top-${K}, chunks ${CHUNKS.join('/')}`);
const t = new Map(CHUNKS.map((c) => [c, { wall: [] as number[], cpu: [] as number[], ratio: [] as number[] }]));
const stats = new Map<number, unknown>();
try {
  const loadBefore = os.loadavg();
  for (let round = 0; round < rounds; round++) {
    for (const c of CHUNKS) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const m = mergeChunkListsWithStats(dirs.get(c)!, c, qids, N);
      const wall = (performance.now() - t0) / 1000;
      const u = process.cpuUsage(c0);
      t.get(c)!.wall.push(wall);
      t.get(c)!.cpu.push((u.user + u.system) / 1e6);
      stats.set(c, m.stats);
    }
    for (const c of CHUNKS) t.get(c)!.ratio.push(t.get(c)!.cpu[round] / t.get(1)!.cpu[round]);
    log(`round ${round + 1}: ${CHUNKS.map((c) => `${c} chunks ${(t.get(c)!.cpu[round] * 1000).toFixed(0)} ms CPU`).join(', ')}`);
  }
  process.stdout.write(
    JSON.stringify(
      {
        machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`,
        node: process.version,
        loadavg: { before: loadBefore, after: os.loadavg() },
        corpus: N,
        queries: M,
        k: K,
        rounds,
        chunks: CHUNKS.map((c) => ({
          chunks: c,
          cpu: median(t.get(c)!.cpu),
          wall: median(t.get(c)!.wall),
          cpuOverOneChunk: median(t.get(c)!.ratio),
          cpuRounds: t.get(c)!.cpu,
          stats: stats.get(c),
        })),
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
