/**
 * A BEIR-shaped retrieval task generated into a folder, for bench/pipeline/busy.ts: `docs` documents whose
 * lengths follow a lognormal around BEIR's typical passage (median 400 characters ≈ 100 tokens, σ = 0.75: a
 * few short titles-only rows, a long tail of 2-4k-character passages), `queries` short queries (median 50
 * characters, σ = 0.4), 1-3 relevant documents each. Words come from a fixed made-up vocabulary through
 * mulberry32, so the same arguments give the same bytes.
 */
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { mulberry32 } from '../../src/util/mulberry32.js';

export interface TaskShape {
  docs: number;
  queries: number;
  docChars: number;
  docSigma: number;
  queryChars: number;
  querySigma: number;
}

export const DEFAULT_SHAPE: TaskShape = { docs: 100_000, queries: 1_000, docChars: 400, docSigma: 0.75, queryChars: 50, querySigma: 0.4 };

/** Writes corpus.jsonl, queries.jsonl, qrels/test.tsv and task.json under `dir`; returns the task file and text stats. */
export async function makeRetrievalTask(dir: string, shape: TaskShape, seed = 17): Promise<{ taskFile: string; corpusChars: number; queryChars: number }> {
  const rnd = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const vocab = Array.from({ length: 5000 }, (_, i) => {
    let w = '';
    for (let n = 3 + (i % 7); n > 0; n--) w += String.fromCharCode(97 + Math.floor(rnd() * 26));
    return w;
  });
  const words = (chars: number) => {
    let s = '';
    while (s.length < chars) s += (s ? ' ' : '') + vocab[Math.floor(rnd() * rnd() * vocab.length)];
    return s;
  };
  const length = (median: number, sigma: number, max: number) => Math.max(8, Math.min(max, Math.round(median * Math.exp(sigma * normal()))));
  mkdirSync(path.join(dir, 'qrels'), { recursive: true });
  const corpus = createWriteStream(path.join(dir, 'corpus.jsonl'));
  let corpusChars = 0;
  // A query starts with its first relevant document's first word: the fake server's vectors follow the first
  // word (fake-server.ts), so rankings and scores are not noise, and ties among same-word documents are rare.
  const firstWords: string[] = [];
  for (let i = 0; i < shape.docs; i++) {
    const text = words(length(shape.docChars, shape.docSigma, 16_000));
    firstWords.push(text.slice(0, text.indexOf(' ') >>> 0));
    corpusChars += text.length;
    if (!corpus.write(JSON.stringify({ _id: `d${i}`, title: '', text }) + '\n')) await once(corpus, 'drain');
  }
  corpus.end();
  await once(corpus, 'finish');
  const q: string[] = [];
  const rel: string[] = ['query-id\tcorpus-id\tscore'];
  let queryChars = 0;
  for (let j = 0; j < shape.queries; j++) {
    const relevant = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => Math.floor(rnd() * shape.docs));
    const text = `${firstWords[relevant[0]]} ${words(length(shape.queryChars, shape.querySigma, 400))}`;
    queryChars += text.length;
    q.push(JSON.stringify({ _id: `q${j}`, text }));
    for (const d of relevant) rel.push(`q${j}\td${d}\t1`);
  }
  writeFileSync(path.join(dir, 'queries.jsonl'), q.join('\n') + '\n');
  writeFileSync(path.join(dir, 'qrels', 'test.tsv'), [...new Set(rel)].join('\n') + '\n');
  const taskFile = path.join(dir, 'task.json');
  writeFileSync(taskFile, JSON.stringify({ name: 'BusyRetrieval', type: 'Retrieval', eval_splits: ['test'], main_score: 'ndcg_at_10', dataset: { path: '.', revision: 'r' } }));
  return { taskFile, corpusChars, queryChars };
}
