// A retrieval corpus is embedded in bounded pieces inside each 50,000-row search chunk (at most 5,000 documents or
// 8 Mi characters of text per embed call), so the text alive at once does not grow with the corpus's text size.
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
  calls: { n: number; chars: number }[] = [];
  async embed(texts: string[], o: EmbedOptions) {
    this.calls.push({ n: texts.length, chars: texts.reduce((s, t) => s + t.length, 0) });
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
  // The embedder sees batches of 32; a piece of corpus text ends with its one shorter batch (the 20 queries are
  // their own call), so summing batches up to each short one gives the pieces.
  const calls: { n: number; chars: number }[] = [];
  let cur = { n: 0, chars: 0 };
  for (const c of e.calls.filter((x) => x.n !== 20)) {
    cur = { n: cur.n + c.n, chars: cur.chars + c.chars };
    if (c.n < 32) {
      calls.push(cur);
      cur = { n: 0, chars: 0 };
    }
  }
  return { calls, scores: result.scores.test[0] };
}

describe('corpus text embedded in bounded pieces', () => {
  test('12,345 short documents: calls of 5,000 rows; every document found', async () => {
    const r = await run(task(12_345, 40));
    expect(r.calls.map((c) => c.n)).toEqual([5000, 5000, 2345]);
    expect(r.scores.ndcg_at_10).toBe(1);
  });

  test('2,600 documents of 4,000 characters: calls end at 8 Mi characters (rounded up to a 500-row read)', async () => {
    const r = await run(task(2_600, 4_000));
    // 2,500 docs x 4,000 chars = 10.0M >= 8 Mi (8.39M) after the 5th read of 500; then the last 100.
    expect(r.calls.map((c) => c.n)).toEqual([2500, 100]);
    expect(Math.max(...r.calls.map((c) => c.chars))).toBe(2500 * 4000);
    expect(r.scores.ndcg_at_10).toBe(1);
  });
});
