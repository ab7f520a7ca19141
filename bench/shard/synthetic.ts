// The synthetic task and embedders of the shard benches (merge.ts, overhead.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Embedder, EmbedOptions } from '../../src/core/embedder.js';
import type { Matrix } from '../../src/core/matrix.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

/** Vectors from a hash of the text: cheap, deterministic, no model. */
export class SyntheticEmbedder implements Embedder {
  readonly name = 'bench/synthetic';
  readonly revision = 'r1';
  constructor(readonly dimension = 256) {}
  async embed(texts: string[], _o: EmbedOptions): Promise<Matrix> {
    const D = this.dimension;
    const data = new Float32Array(texts.length * D);
    texts.forEach((t, i) => {
      let h = 2166136261;
      for (let j = 0; j < t.length; j++) h = Math.imul(h ^ t.charCodeAt(j), 16777619);
      const r = mulberry32(h >>> 0);
      for (let d = 0; d < D; d++) data[i * D + d] = r() * 2 - 1;
    });
    return { rows: texts.length, dim: D, data };
  }
}

/**
 * The synthetic vectors after a wait of `msPerText` a text: a model's cost (a GPU's time, so a wait, not CPU) for
 * the bench only. 1 ms a text = 1,000 texts/s, about a base-size model on one GPU; NV-Embed-v2 on an H100 does
 * MSMARCO's 8.8 M passages in ~7.3 h, ~3 ms a passage.
 */
export class DelayedEmbedder extends SyntheticEmbedder {
  constructor(
    private readonly msPerText: number,
    dimension = 256,
  ) {
    super(dimension);
  }
  override async embed(texts: string[], o: EmbedOptions): Promise<Matrix> {
    await new Promise((r) => setTimeout(r, texts.length * this.msPerText));
    return super.embed(texts, o);
  }
}

/** A BEIR folder task `BenchShardRetrieval` under `dir` (N documents, M queries, 3 judged documents each); its task.json. */
export function syntheticTask(dir: string, N: number, M: number): string {
  const d = path.join(dir, 'task', 'BenchShardRetrieval');
  mkdirSync(path.join(d, 'qrels'), { recursive: true });
  const r = mulberry32(5);
  const docs: string[] = [];
  for (let j = 0; j < N; j++) docs.push(JSON.stringify({ _id: `d${j}`, title: '', text: `document ${j} ${Math.floor(r() * 1e9)}` }));
  writeFileSync(path.join(d, 'corpus.jsonl'), docs.join('\n') + '\n');
  const qs: string[] = [];
  const rel: string[] = ['query-id\tcorpus-id\tscore'];
  for (let q = 0; q < M; q++) {
    qs.push(JSON.stringify({ _id: `q${q}`, text: `query ${q}` }));
    for (let j = 0; j < 3; j++) rel.push(`q${q}\td${Math.floor(r() * N)}\t1`);
  }
  writeFileSync(path.join(d, 'queries.jsonl'), qs.join('\n') + '\n');
  writeFileSync(path.join(d, 'qrels', 'test.tsv'), rel.join('\n') + '\n');
  const spec = {
    name: 'BenchShardRetrieval',
    type: 'Retrieval',
    description: 'synthetic retrieval task for bench/shard/',
    main_score: 'ndcg_at_10',
    eval_splits: ['test'],
    eval_langs: ['eng-Latn'],
    category: 's2p',
    dataset: { path: '.', revision: 'r1' },
    protocol: 'mteb-1',
  };
  writeFileSync(path.join(d, 'task.json'), JSON.stringify(spec, null, 2));
  return path.join(d, 'task.json');
}
