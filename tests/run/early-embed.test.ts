// Embedding starts while a retrieval split loads (src/task-types/retrieval/early-embed.ts): the loader tells the
// evaluated queries and the first corpus documents in corpus order, and the split it returns is the same; a head
// document whose id comes again with another text is embedded with its last text, as without early embedding;
// a load that fails after the head started reports its own error naming file and line, with no embedding left
// running.
import { describe, test, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CorpusDoc } from '../../src/core/datasets.js';
import type { EmbedOptions } from '../../src/core/embedder.js';
import { FolderSource } from '../../src/data/index.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { parsePythonJson } from '../../src/output/python-json.js';
import { resolveTasks } from '../../src/registry/index.js';
import { runEvaluation } from '../../src/run/runner.js';
import { loadRetrievalSplit } from '../../src/task-types/retrieval/load.js';

const text = (i: number) => `d${i} a${(i * 7919) % 10007} b${(i * 104729) % 10009} c${(i * 31) % 9973}`;

/** A BEIR folder: `docs` documents (row i: id d<i>, or `rows[i]` when given), queries q<97·j> = text of d<97·j> with qrels, and one query without qrels. */
function folder(docs: number, rows: Record<number, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'early-'));
  const lines = Array.from({ length: docs }, (_, i) => rows[i] ?? JSON.stringify({ _id: `d${i}`, title: '', text: text(i) }));
  writeFileSync(path.join(dir, 'corpus.jsonl'), lines.join('\n') + '\n');
  const qs = Array.from({ length: 20 }, (_, q) => q * 97).filter((d) => d < docs);
  writeFileSync(path.join(dir, 'queries.jsonl'), [...qs.map((d) => JSON.stringify({ _id: `q${d}`, text: text(d) })), JSON.stringify({ _id: 'unjudged', text: 'x' })].join('\n') + '\n');
  mkdirSync(path.join(dir, 'qrels'));
  writeFileSync(path.join(dir, 'qrels', 'test.tsv'), ['query-id\tcorpus-id\tscore', ...qs.map((d) => `q${d}\td${d}\t1`)].join('\n') + '\n');
  writeFileSync(path.join(dir, 'task.json'), JSON.stringify({ name: 'EarlyRetrieval', type: 'Retrieval', eval_splits: ['test'], main_score: 'ndcg_at_10', dataset: { path: '.', revision: 'r' } }));
  return dir;
}

class Recorder extends HashEmbedder {
  texts: string[] = [];
  running = 0;
  calls = 0;
  async embed(texts: string[], o: EmbedOptions) {
    this.calls++;
    this.running++;
    try {
      await sleep(1);
      this.texts.push(...texts);
      return await super.embed(texts, o);
    } finally {
      this.running--;
    }
  }
}

async function run(dir: string) {
  const e = new Recorder(64);
  const out = mkdtempSync(path.join(tmpdir(), 'early-out-'));
  const summary = await runEvaluation({ tasks: resolveTasks([path.join(dir, 'task.json')]), embedder: e, outputDir: out, search: { backend: 'exact' } });
  return { e, summary, out };
}

describe('embedding while a retrieval split loads', () => {
  test('the loader tells the evaluated queries, then new corpus documents in order until told to stop; the split is the same', async () => {
    const dir = folder(12_000);
    const src = new FolderSource('local', 'early', dir);
    const told: { queries?: string[]; corpus: [number, number][] } = { corpus: [] };
    let rows = 0;
    const early = {
      queries: (texts: string[]) => void (told.queries = texts),
      corpus: (start: number, docs: CorpusDoc[]) => {
        told.corpus.push([start, docs.length]);
        rows += docs.length;
        return rows < 1000;
      },
    };
    const withEarly = await loadRetrievalSplit(src, { name: 'T' }, 'test', 'default', { early });
    const without = await loadRetrievalSplit(src, { name: 'T' }, 'test', 'default');
    // The query without qrels is not evaluated, so not told.
    expect(told.queries).toEqual(Array.from({ length: 20 }, (_, q) => text(q * 97)));
    // Handed 100 at a time from position 0; the loader stopped once told it has enough.
    expect(told.corpus).toEqual(Array.from({ length: 10 }, (_, i) => [i * 100, 100]));
    expect([...withEarly.corpus.keys()]).toEqual([...without.corpus.keys()]);
    expect([...withEarly.queries]).toEqual([...without.queries]);
    expect([...withEarly.qrels.keys()]).toEqual([...without.qrels.keys()]);
  });

  test('through a run: every text embedded once, the queries first, then the documents in corpus order', async () => {
    const { e, summary } = await run(folder(12_000));
    expect(summary.outcomes[0]).toMatchObject({ status: 'done', mainScore: 1 });
    // 12,000 documents and the 20 queries (each also a document's text): nothing embedded twice over.
    expect(e.texts.length).toBe(12_000 + 20);
    // The hash embedder serves one call at a time, in call order (src/run/embed-slots.ts): the queries (told by
    // the loader first), then the early head and the corpus reader's pieces, which take over where it stopped.
    expect(e.texts.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, q) => text(q * 97)));
    expect(e.texts.slice(20)).toEqual(Array.from({ length: 12_000 }, (_, i) => text(i)));
  });

  test('a head document whose id comes again with another text: its last text is embedded and searched', async () => {
    // Row 600 is d3 again with another text (d600 is gone; no query points at it). mteb keeps the last text.
    const later = JSON.stringify({ _id: 'd3', title: '', text: 'changed three' });
    const dir = folder(1_000, { 600: later });
    const { e, summary, out } = await run(dir);
    expect(summary.outcomes[0].status).toBe('done');
    // d3's first text was embedded early (the first piece of 500 rows, while the file was read), then its last
    // text by the corpus reader, which found the early vectors were of another text.
    expect(e.texts.filter((t) => t === text(3) || t === 'changed three')).toEqual([text(3), 'changed three']);
    const result = parsePythonJson(readFileSync(path.join(out, 'mteb-ts__hash-64', 'no_revision_available', 'EarlyRetrieval.json'), 'utf8')) as {
      scores: { test: { ndcg_at_10: number }[] };
    };
    // Every query still finds its own document.
    expect(result.scores.test[0].ndcg_at_10).toBe(1);
  });

  test('a load that fails after the head started: the error names file and line; no embedding left running', async () => {
    const dir = folder(3_000, { 2_500: '{"_id": "d2500", "text": ' });
    const { e, summary } = await run(dir);
    expect(summary.outcomes[0]).toMatchObject({ status: 'failed', errorCode: 'E_PARSE' });
    expect((summary.outcomes[0] as { error?: string }).error).toContain(`${path.join(dir, 'corpus.jsonl')}:2501`);
    // The queries and the early pieces were embedded while the file was read; all finished before the failure
    // was reported, and nothing starts after it.
    expect(e.calls).toBeGreaterThan(0);
    expect(e.running).toBe(0);
    const calls = e.calls;
    await sleep(30);
    expect(e.calls).toBe(calls);
  });
});
