// A shard's corpus work without embedding or search (issue 19, docs/BENCHMARKS.md part F): the retrieval loader's
// full pass (every row parsed, text held: what every shard did before) against a `--shard` run's (rows taken by id,
// `corpusTextUnheld`), plus the read-back of one chunk's text that the latter pays (the first or the last quarter
// of the corpus, as a shard of 4 owning it would). Synthetic BEIR task (bench/shard/synthetic.ts). Rounds
// interleave the two modes; medians of process CPU seconds.
// Run: node bin/run-ts.js bench/shard/shard-load.ts [--docs N] [--rounds R] > bench/shard/shard-load-results.json
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syntheticTask } from './synthetic.js';
import { loadRetrievalSplit } from '../../src/task-types/retrieval/load.js';
import { FolderSource } from '../../src/data/source.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const N = Number(opt('--docs', '200000'));
const rounds = Number(opt('--rounds', '5'));
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-shard-load-'));
try {
  const src = new FolderSource('local', 'bench', path.dirname(syntheticTask(dir, N, 200)));
  const load = (corpusTextUnheld: boolean) => loadRetrievalSplit(src, { name: 'BenchShardRetrieval' }, 'test', 'default', { corpusTextUnheld });
  await load(false); // warm-up
  const m = { full: [] as number[], ids: [] as number[], readFirst: [] as number[], readLast: [] as number[] };
  const loads: number[] = [];
  for (let r = 0; r < rounds; r++) {
    loads.push(os.loadavg()[0]);
    let t = cpu();
    await load(false);
    m.full.push(cpu() - t);
    t = cpu();
    const s = await load(true);
    m.ids.push(cpu() - t);
    for (const [key, range] of [['readFirst', [0, N / 4]], ['readLast', [N - N / 4, N]]] as const) {
      t = cpu();
      for await (const ch of s.corpus.chunks(1024, [range as unknown as [number, number]])) void ch;
      m[key].push(cpu() - t);
    }
    process.stderr.write(`round ${r + 1}: ${Object.entries(m).map(([k, v]) => `${k} ${v.at(-1)!.toFixed(3)}`).join(', ')} s CPU\n`);
  }
  const med = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, median(v)]));
  process.stdout.write(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`,
        loadavg: loads,
        docs: N,
        rounds,
        cpuSeconds: m,
        medians: med,
        shardCorpusWorkOverFull: { firstQuarter: (med.ids + med.readFirst) / med.full, lastQuarter: (med.ids + med.readLast) / med.full },
        microsecondsPerDoc: { full: (med.full / N) * 1e6, ids: (med.ids / N) * 1e6 },
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
