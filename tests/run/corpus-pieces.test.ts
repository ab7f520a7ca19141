// A retrieval corpus is embedded in pieces of 500 rows, at most 5,000 documents or 8 Mi characters read ahead
// (tests/run/corpus-overlap.test.ts), the first ones while the split loads (early-embed.ts): through the whole run,
// every document is embedded exactly once, in batches of at most 32, and found.
import { describe, test, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveTasks } from '../../src/registry/index.js';
import { runEvaluation } from '../../src/run/runner.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import type { EmbedOptions } from '../../src/core/embedder.js';
import { parsePythonJson } from '../../src/output/python-json.js';

class CallRecorder extends HashEmbedder {
  texts: string[] = [];
  largest = 0;
  async embed(texts: string[], o: EmbedOptions) {
    this.texts.push(...texts);
    this.largest = Math.max(this.largest, texts.length);
    return super.embed(texts, o);
  }
}

/** A BEIR task of `docs` documents of `chars` characters each; query q is the text of document 97·q. */
function task(docs: number, chars: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pieces-'));
  const text = (i: number) => `d${i} a${(i * 7919) % 10007} b${(i * 104729) % 10009} c${(i * 31) % 9973} `.padEnd(chars, 'x');
  writeFileSync(path.join(dir, 'corpus.jsonl'), Array.from({ length: docs }, (_, i) => JSON.stringify({ _id: `d${i}`, title: '', text: text(i) })).join('\n') + '\n');
  const qs = Array.from({ length: 20 }, (_, q) => q * 97);
  writeFileSync(path.join(dir, 'queries.jsonl'), qs.map((d) => JSON.stringify({ _id: `q${d}`, text: text(d) })).join('\n') + '\n');
  mkdirSync(path.join(dir, 'qrels'));
  writeFileSync(path.join(dir, 'qrels', 'test.tsv'), ['query-id\tcorpus-id\tscore', ...qs.map((d) => `q${d}\td${d}\t1`)].join('\n') + '\n');
  writeFileSync(path.join(dir, 'task.json'), JSON.stringify({ name: 'PiecesRetrieval', type: 'Retrieval', eval_splits: ['test'], main_score: 'ndcg_at_10', dataset: { path: '.', revision: 'r' } }));
  return path.join(dir, 'task.json');
}

async function run(taskFile: string) {
  const e = new CallRecorder(64);
  const out = mkdtempSync(path.join(tmpdir(), 'pieces-out-'));
  await runEvaluation({ tasks: resolveTasks([taskFile]), embedder: e, outputDir: out, search: { backend: 'exact' } });
  const result = parsePythonJson(readFileSync(path.join(out, 'mteb-ts__hash-64', 'no_revision_available', 'PiecesRetrieval.json'), 'utf8'));
  return { texts: e.texts, largest: e.largest, scores: result.scores.test[0] };
}

describe('corpus text embedded in bounded pieces', () => {
  for (const [docs, chars] of [
    [12_345, 40],
    [2_600, 4_000],
  ]) {
    test(`${docs} documents of ${chars} characters: each embedded once, in batches of at most 32; every one found`, async () => {
      const r = await run(task(docs, chars));
      // The 20 query texts are also document texts (query q is document 97·q): each text appears twice, no more.
      expect(r.texts.length).toBe(docs + 20);
      const seen = new Map<string, number>();
      for (const t of r.texts) seen.set(t, (seen.get(t) ?? 0) + 1);
      expect(seen.size).toBe(docs);
      expect(Math.max(...seen.values())).toBe(2);
      expect(r.largest).toBe(32);
      expect(r.scores.ndcg_at_10).toBe(1);
    });
  }
});
