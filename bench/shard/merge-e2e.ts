// Issue 19's "merge time on a corpus split into 1, 4 and 16 chunks (should stay flat)", end to end: `mergeShards`
// on a synthetic BEIR task (bench/shard/synthetic.ts) whose corpus the shards split into 2, 4 and 16 chunks (a
// corpus in 1 chunk is not split: its shard scores it, merge has nothing to do) at two corpus sizes. The shards
// run once per layout (2 shards, hash embedder, no cache); then merge runs `rounds` times per layout, interleaved,
// its result file removed in between. Also in the same process: the retrieval loader with and without the corpus
// rows (what merge read before it left them unread: src/task-types/retrieval/load.ts `corpusUnread`).
// Run: node bin/run-ts.js bench/shard/merge-e2e.ts [--rounds N] [--queries M] [--sizes 50000,200000]  (JSON on stdout)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SyntheticEmbedder, syntheticTask } from './synthetic.js';
import { runEvaluation } from '../../src/run/runner.js';
import { mergeShards } from '../../src/shard/merge.js';
import { resolveTasks } from '../../src/registry/index.js';
import { resultPath } from '../../src/output/result-file.js';
import { resolveDatasetSource } from '../../src/data/index.js';
import { loadRetrievalSplit } from '../../src/task-types/retrieval/load.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rounds = Number(arg('--rounds', '5'));
const M = Number(arg('--queries', '1000'));
const SIZES = arg('--sizes', '50000,200000').split(',').map(Number);
const CHUNKS = [2, 4, 16];
const SHARDS = 2;
const D = 256;
const log = (s: string) => process.stderr.write(s + '\n');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-merge-e2e-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
async function timed<T>(f: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const c0 = cpu();
  const t0 = performance.now();
  const value = await f();
  return { wall: (performance.now() - t0) / 1000, cpu: cpu() - c0, value };
}

try {
  const load0 = os.loadavg();
  const out: Record<string, unknown>[] = [];
  for (const N of SIZES) {
    const taskFile = syntheticTask(path.join(scratch, `t${N}`), N, M);
    const tasks = () => resolveTasks([taskFile]);
    const layouts = new Map<number, string>();
    for (const chunks of CHUNKS) {
      const dir = path.join(scratch, `o${N}-${chunks}`);
      for (let i = 0; i < SHARDS; i++)
        await runEvaluation({ tasks: tasks(), embedder: new SyntheticEmbedder(D), outputDir: dir, shard: { index: i, count: SHARDS, chunkRows: Math.ceil(N / chunks) } });
      layouts.set(chunks, dir);
      log(`N=${N}: shards done for ${chunks} chunks`);
    }
    const merge = new Map(CHUNKS.map((c) => [c, { wall: [] as number[], cpu: [] as number[] }]));
    const loadFull = { wall: [] as number[], cpu: [] as number[] };
    const loadUnread = { wall: [] as number[], cpu: [] as number[] };
    const spec = tasks()[0];
    const source = resolveDatasetSource(spec, { env: process.env });
    for (let r = 0; r < rounds; r++) {
      for (const chunks of CHUNKS) {
        const dir = layouts.get(chunks)!;
        rmSync(resultPath(dir, 'bench/synthetic', 'r1', 'BenchShardRetrieval'), { force: true });
        const m = await timed(() => mergeShards({ tasks: tasks(), embedder: new SyntheticEmbedder(D), outputDir: dir, count: SHARDS }));
        if (m.value.outcomes.some((o) => o.status !== 'done')) throw new Error(JSON.stringify(m.value.outcomes));
        merge.get(chunks)!.wall.push(m.wall);
        merge.get(chunks)!.cpu.push(m.cpu);
      }
      const f = await timed(() => loadRetrievalSplit(source, spec, 'test'));
      loadFull.wall.push(f.wall);
      loadFull.cpu.push(f.cpu);
      const u = await timed(() => loadRetrievalSplit(source, spec, 'test', 'default', { corpusUnread: true }));
      loadUnread.wall.push(u.wall);
      loadUnread.cpu.push(u.cpu);
      log(`N=${N} round ${r + 1}: merge ${CHUNKS.map((c) => `${c} chunks ${merge.get(c)!.cpu.at(-1)!.toFixed(3)} s CPU`).join(', ')}; load ${f.cpu.toFixed(2)} vs unread ${u.cpu.toFixed(3)} s CPU`);
    }
    const m2 = merge.get(CHUNKS[0])!;
    out.push({
      corpus: N,
      merge: CHUNKS.map((c) => ({
        chunks: c,
        cpu: median(merge.get(c)!.cpu),
        wall: median(merge.get(c)!.wall),
        cpuOver2Chunks: median(merge.get(c)!.cpu.map((v, i) => v / m2.cpu[i])),
        cpuRounds: merge.get(c)!.cpu,
      })),
      loaderWithCorpusRows: { cpu: median(loadFull.cpu), wall: median(loadFull.wall) },
      loaderCorpusUnread: { cpu: median(loadUnread.cpu), wall: median(loadUnread.wall) },
    });
  }
  process.stdout.write(
    JSON.stringify({ machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`, node: process.version, loadavg: { before: load0, after: os.loadavg() }, queries: M, k: 1000, shards: SHARDS, rounds, results: out }, null, 2) + '\n',
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
