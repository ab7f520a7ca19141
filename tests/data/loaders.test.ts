import { describe, test, expect } from '@jest/globals';
import { cpSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FolderSource } from '../../src/data/index.js';
import { loadRetrievalSplit, loadClassificationSplit, loadClusteringLegacySplit, loadClusteringFastSplit, loadPairClassificationSplit, loadSTSSplit, loadSummarizationSplit, loadRerankingLegacySplit, loadBitextSplit } from '../../src/task-types/loaders.js';
import { loadTaskSplit } from '../../src/task-types/index.js';
import type { RetrievalSplit } from '../../src/core/datasets.js';
import { fixtureDir, rejected, spec, tmp } from './helpers.js';

const src = (name: string) => new FolderSource('local', name, fixtureDir(name));
const plain = (r: RetrievalSplit) => ({
  corpus: [...r.corpus].map(([id, d]) => [id, d.title, d.text]),
  queries: [...r.queries],
  qrels: Object.fromEntries([...r.qrels].map(([q, m]) => [q, Object.fromEntries(m)])),
  topRanked: r.topRanked ? Object.fromEntries(r.topRanked) : undefined,
});

describe('retrieval', () => {
  test('BEIR layout: queries without qrels dropped, corpus in file order, null title -> ""', async () => {
    const r = plain(await loadRetrievalSplit(src('beir-mini'), spec('Retrieval'), 'test'));
    expect(r).toEqual({
      corpus: [['d1', 'Alpha', 'alpha text'], ['d2', '', 'beta text'], ['d3', 'Gamma', 'gamma text'], ['d4', 'Delta', 'delta text'], ['d5', '', 'epsilon text'], ['d6', 'Zeta', 'zeta text']],
      queries: [['q1', 'what is alpha'], ['q2', 'what is gamma'], ['q4', 'what is epsilon']],
      qrels: { q1: { d1: 1 }, q2: { d3: 2, d4: 0 }, q4: { d5: 1 } },
      topRanked: undefined,
    });
    const dev = plain(await loadRetrievalSplit(src('beir-mini'), spec('Retrieval'), 'dev'));
    expect([dev.queries, dev.qrels]).toEqual([[['q1', 'what is alpha']], { q1: { d2: 1 } }]);
  });

  test('parquet configs + top_ranked give the same data (v2 reranking via its type entry)', async () => {
    const l = await loadTaskSplit(src('rerank-v2-mini'), spec('Reranking', { protocol: 'mteb-2' }), 'test');
    const r = plain(l as RetrievalSplit);
    const beir = plain(await loadRetrievalSplit(src('beir-mini'), spec('Retrieval'), 'test'));
    expect({ ...r, topRanked: undefined }).toEqual(beir);
    expect(r.topRanked).toEqual({ q1: ['d1', 'd2', 'd3'], q2: ['d3', 'd4', 'd6'], q4: ['d5', 'd1'] });
  });

  test('--limit 1: first query with qrels, its judged/candidate docs + 10 distractors', async () => {
    const r = plain(await loadRetrievalSplit(src('rerank-v2-mini'), spec('Retrieval'), 'test', 'default', { limit: 1 }));
    expect(r.queries).toEqual([['q1', 'what is alpha']]);
    expect(r.qrels).toEqual({ q1: { d1: 1 } });
    expect(r.topRanked).toEqual({ q1: ['d1', 'd2', 'd3'] });
    expect(r.corpus.map((c) => c[0])).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
  });

  test('missing split lists the splits present; missing qrels; missing column', async () => {
    const e = await rejected(loadRetrievalSplit(src('beir-mini'), spec('Retrieval', { name: 'Mini' }), 'train'));
    expect([e.code, e.location.task, e.message]).toEqual([
      'E_SPLIT_MISSING', 'Mini', 'split "train" not found for qrels (config "qrels") in beir-mini; splits present: dev, test',
    ]);
    const d = tmp('noqrels-');
    cpSync(fixtureDir('beir-mini'), d, { recursive: true });
    rmSync(join(d, 'qrels'), { recursive: true });
    const m = await rejected(loadRetrievalSplit(new FolderSource('local', 'x', d), spec('Retrieval'), 'test'));
    expect([m.code, m.location.field, m.message]).toEqual([
      'E_FILE_MISSING', 'qrels', 'no qrels in x: expected qrels/test.tsv or a "default" config with split "test"; data files present: corpus.jsonl, queries.jsonl',
    ]);
    writeFileSync(join(d, 'corpus.jsonl'), '{"id_":"d1","text":"x"}\n');
    cpSync(join(fixtureDir('beir-mini'), 'qrels'), join(d, 'qrels'), { recursive: true });
    const c = await rejected(loadRetrievalSplit(new FolderSource('local', 'x', d), spec('Retrieval'), 'test'));
    expect([c.code, c.location.file, c.location.line, c.location.field, c.message]).toEqual([
      'E_COLUMN_MISSING', join(d, 'corpus.jsonl'), 1, '_id', 'missing column "_id" or "id"; row has "id_", "text"',
    ]);
  });

  test('bad qrels score names file:line', async () => {
    const d = tmp('badscore-');
    cpSync(fixtureDir('beir-mini'), d, { recursive: true });
    writeFileSync(join(d, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\thigh\n');
    const e = await rejected(loadRetrievalSplit(new FolderSource('local', 'x', d), spec('Retrieval'), 'test'));
    expect([e.code, e.location.line, e.location.field, e.message]).toEqual(['E_BAD_VALUE', 2, 'score', 'expected a number, got "high"']);
  });
});

describe('retrieval qrels checks (warnings go to opts.warn, the run\'s ctx.warn)', () => {
  const withQrels = (qrels: string, extra: Record<string, string> = {}) => {
    const d = tmp('qrels-check-');
    cpSync(fixtureDir('beir-mini'), d, { recursive: true });
    writeFileSync(join(d, 'qrels', 'test.tsv'), qrels);
    for (const [f, t] of Object.entries(extra)) writeFileSync(join(d, f), t);
    return { d, source: new FolderSource('local', 'x', d) };
  };
  const H = 'query-id\tcorpus-id\tscore\n';

  test('a clean split warns nothing', async () => {
    const warnings: string[] = [];
    await loadRetrievalSplit(src('beir-mini'), spec('Retrieval'), 'test', 'default', { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });

  test('judged documents missing from the corpus: one warning with counts and an example (relevant first)', async () => {
    const { source } = withQrels(`${H}q1\td1\t1\nq1\tgone-0\t0\nq2\td3\t2\nq2\tgone-1\t1\nq4\tgone-1\t1\n`);
    const warnings: string[] = [];
    const r = await loadRetrievalSplit(source, spec('Retrieval'), 'test', 'default', { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      `qrels/test.tsv: 3 of 5 judgements (2 relevant) name 2 documents missing from the corpus, e.g. "gone-1" (query "q2"); a relevant one can never be retrieved, which lowers recall and nDCG as it does in mteb`,
    ]);
    // the judgements are kept: mteb scores with them
    expect(Object.fromEntries(r.qrels.get('q2')!)).toEqual({ d3: 2, 'gone-1': 1 });
  });

  test('judged queries without text: warning with count and example (not under --limit)', async () => {
    const { source } = withQrels(`${H}q1\td1\t1\nq7\td2\t1\nq8\td2\t1\n`);
    const warnings: string[] = [];
    const r = await loadRetrievalSplit(source, spec('Retrieval'), 'test', 'default', { warn: (m) => warnings.push(m) });
    expect([...r.queries.keys()]).toEqual(['q1']);
    expect(warnings).toEqual([`qrels/test.tsv: 2 of 3 judged queries have no text in the queries file and are not evaluated (as in mteb), e.g. "q7"`]);
  });

  test('a stray space inside a tab-separated qrels field is E_PARSE at file:line, not a silent 0', async () => {
    const { d, source } = withQrels(`${H}q1\td1\t1\nq2\t 0 d3\t1\n`);
    const e = await rejected(loadRetrievalSplit(source, spec('Retrieval'), 'test'));
    expect([e.code, e.location.file, e.location.line, e.location.field, e.message]).toEqual([
      'E_PARSE',
      join(d, 'qrels', 'test.tsv'),
      3,
      'corpus-id',
      'corpus-id " 0 d3" contains whitespace and is no corpus document id, so the judgement could never count (a stray space in the line, or a space where a tab belongs?)',
    ]);
    const q = withQrels(`${H}q1\td1\t1\nq2 \td3\t1\n`);
    const eq = await rejected(loadRetrievalSplit(q.source, spec('Retrieval'), 'test'));
    expect([eq.code, eq.location.line, eq.location.field]).toEqual(['E_PARSE', 3, 'query-id']);
  });

  test('ids with spaces that do match the corpus are fine; empty ids and wrong column counts are E_PARSE', async () => {
    const ok = withQrels(`${H}q1\tdoc one\t1\n`, { 'corpus.jsonl': '{"_id":"doc one","text":"x"}\n' });
    const warnings: string[] = [];
    const r = await loadRetrievalSplit(ok.source, spec('Retrieval'), 'test', 'default', { warn: (m) => warnings.push(m) });
    expect([Object.fromEntries(r.qrels.get('q1')!), warnings]).toEqual([{ 'doc one': 1 }, []]);
    const empty = withQrels(`${H}q1\t\t1\n`);
    const e = await rejected(loadRetrievalSplit(empty.source, spec('Retrieval'), 'test'));
    expect([e.code, e.location.line, e.location.field, e.message]).toEqual(['E_PARSE', 2, 'corpus-id', 'corpus-id is empty']);
    const four = withQrels(`${H}q1\td1\t1\n1\t0\td1\t1\n`);
    const f = await rejected(loadRetrievalSplit(four.source, spec('Retrieval'), 'test'));
    expect([f.code, f.location.line]).toEqual(['E_PARSE', 3]);
  });
});

describe('single-table types', () => {
  test('classification: root, per-language and parquet data/ layouts; limit', async () => {
    const expected = { texts: ['i love it', 'i hate it', 'great', 'awful'], labels: [1, 0, 1, 0] };
    expect(await loadClassificationSplit(src('clf-mini'), spec('Classification'), 'train')).toEqual(expected);
    expect(await loadClassificationSplit(src('clf-multi-mini'), spec('Classification'), 'train', 'en')).toEqual(expected);
    expect(await loadClassificationSplit(src('clf-parquet-mini'), spec('Classification'), 'train')).toEqual(expected);
    expect(await loadClassificationSplit(src('clf-multi-mini'), spec('Classification'), 'test', 'de')).toEqual({ texts: ['ich liebe es'], labels: [1] });
    expect(await loadClassificationSplit(src('clf-mini'), spec('Classification'), 'test', 'default', { limit: 2 })).toEqual({ texts: ['love love', 'hate hate'], labels: [1, 0] });
    const e = await rejected(loadClassificationSplit(src('clf-multi-mini'), spec('Classification'), 'train', 'fr'));
    expect([e.code, e.message]).toEqual(['E_FILE_MISSING', expect.stringContaining('looked for config "fr"')]);
    const s = await rejected(loadClassificationSplit(src('clf-multi-mini'), spec('Classification'), 'train', 'de'));
    expect(s.message).toBe('split "train" not found for T de/train (config "de") in clf-multi-mini; splits present: test');
  });

  test('legacy clustering: one set per row; limit caps sets and sentences', async () => {
    expect(await loadClusteringLegacySplit(src('clu-legacy-mini'), spec('Clustering'), 'test')).toEqual({
      sets: [{ sentences: ['a1', 'a2', 'b1'], labels: ['a', 'a', 'b'] }, { sentences: ['c1', 'd1', 'd2', 'c2'], labels: ['c', 'd', 'd', 'c'] }],
    });
    expect(await loadClusteringLegacySplit(src('clu-legacy-mini'), spec('Clustering'), 'test', 'default', { limit: 1 })).toEqual({
      sets: [{ sentences: ['a1'], labels: ['a'] }],
    });
  });

  test('fast clustering: per-document rows, label levels; legacy rows are flattened', async () => {
    expect(await loadClusteringFastSplit(src('clu-fast-mini'), spec('Clustering'), 'test', 'default', { labelSeparator: '.' })).toEqual({
      sentences: ['paper one', 'paper two', 'paper three'],
      labels: [['cs', 'AI'], ['cs', 'CL'], ['math', 'CO']],
    });
    const flat = await loadClusteringFastSplit(src('clu-legacy-mini'), spec('Clustering'), 'test', 'default', { limit: 5 });
    expect(flat).toEqual({ sentences: ['a1', 'a2', 'b1', 'c1', 'd1'], labels: [['a'], ['a'], ['b'], ['c'], ['d']] });
  });

  test('pair classification: single row of lists; limit', async () => {
    expect(await loadPairClassificationSplit(src('pair-mini'), spec('PairClassification'), 'test')).toEqual({ sentence1: ['a', 'b', 'c'], sentence2: ['A', 'x', 'C'], labels: [1, 0, 1] });
    expect((await loadPairClassificationSplit(src('pair-mini'), spec('PairClassification'), 'test', 'default', { limit: 2 })).labels).toEqual([1, 0]);
  });

  test('STS: root and language-pair configs', async () => {
    expect(await loadSTSSplit(src('sts-mini'), spec('STS'), 'test')).toEqual({ sentence1: ['a cat', 'a dog'], sentence2: ['a kitten', 'a car'], scores: [4.2, 0.5] });
    expect((await loadSTSSplit(src('sts-multi-mini'), spec('STS'), 'test', 'de-en')).scores).toEqual([5]);
  });

  test('summarization, legacy reranking, bitext', async () => {
    const s = await loadSummarizationSplit(src('summ-mini'), spec('Summarization'), 'test');
    expect(s.rows[0]).toEqual({ id: 'x1', text: 'doc one', human_summaries: ['h1', 'h2'], machine_summaries: ['m1', 'm2', 'm3'], relevance: [1.0, 4.33, 2.5] });
    expect(s.rows).toHaveLength(2);
    const rr = await loadTaskSplit(src('rerank-legacy-mini'), spec('Reranking', { protocol: 'mteb-1' }), 'test');
    expect(rr).toEqual({ rows: [{ query: 'q one', positive: ['p1'], negative: ['n1', 'n2'] }, { query: ['sub a', 'sub b'], positive: ['p2', 'p3'], negative: ['n3'] }] });
    expect(await loadBitextSplit(src('bitext-mini'), spec('BitextMining'), 'test')).toEqual({ sentence1: ['hello', 'cat'], sentence2: ['hallo', 'Katze'] });
    expect((await loadRerankingLegacySplit(src('rerank-legacy-mini'), spec('Reranking'), 'test', 'default', { limit: 1 })).rows).toHaveLength(1);
  });

  test('malformed values name file, line and field', async () => {
    const d = tmp('badvals-');
    writeFileSync(join(d, 'test.jsonl'), '{"sentence1":"a","sentence2":"b","score":1}\n{"sentence1":"a","sentence2":"b","score":"n/a"}\n');
    const e = await rejected(loadSTSSplit(new FolderSource('local', 'x', d), spec('STS', { name: 'S' }), 'test'));
    expect([e.code, e.location.file, e.location.line, e.location.field, e.location.task]).toEqual(['E_BAD_VALUE', join(d, 'test.jsonl'), 2, 'score', 'S']);
    writeFileSync(join(d, 'test.jsonl'), '{"text":"t","human_summaries":["h"],"machine_summaries":["m1","m2"],"relevance":[1]}\n');
    const s = await rejected(loadSummarizationSplit(new FolderSource('local', 'x', d), spec('Summarization'), 'test'));
    expect([s.code, s.location.field, s.message]).toEqual(['E_BAD_VALUE', 'relevance', 'expected a list of 2 numbers (one per machine summary), got [1]']);
    writeFileSync(join(d, 'test.jsonl'), '{"sent1":["a","b"],"sent2":["c"],"labels":[1,0]}\n');
    expect((await rejected(loadPairClassificationSplit(new FolderSource('local', 'x', d), spec('PairClassification'), 'test'))).code).toBe('E_BAD_VALUE');
    const l = await rejected(loadClassificationSplit(src('clf-mini'), spec('Classification'), 'test', 'default', { limit: 0 }));
    expect(l.code).toBe('E_USAGE');
  });
});
