import { describe, test, expect } from '@jest/globals';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { FolderSource } from '../../src/data/index.js';
import type { RetrievalSplit } from '../../src/core/datasets.js';
import { selectTaskFiles } from '../../src/task-types/download.js';
import { loadTaskSplit } from '../../src/task-types/index.js';
import { usesRetrievalFormat } from '../../src/task-types/reranking/format.js';
import { fixtureDir, spec, tmp } from '../data/helpers.js';

/**
 * The one retrieval-format rule for Reranking (src/task-types/reranking/format.ts): the protocol decides, as mteb
 * decides by task. Three copies used to disagree where a repo holds both layouts or non-default subsets: the
 * download selection sniffed unprefixed `corpus`/`top_ranked` configs, the loader dispatch sniffed
 * `<subset>-corpus`/`<subset>-top_ranked`, the adapter looked at the protocol only.
 */
describe('Reranking data layout: one rule for download, loading and scoring', () => {
  const rr = (protocol: 'mteb-1' | 'mteb-2', extra = {}) => spec('Reranking', { protocol, ...extra });
  const both = [
    'README.md', 'test.jsonl.gz', 'qrels/test.tsv',
    'corpus/test-00000-of-00001.parquet', 'queries/test-00000-of-00001.parquet', 'top_ranked/test-00000-of-00001.parquet',
  ];

  test('the rule: mteb-2 reads the retrieval format, mteb-1 the rows, whatever else the repo holds', () => {
    expect([usesRetrievalFormat(rr('mteb-1')), usesRetrievalFormat(rr('mteb-2'))]).toEqual([false, true]);
  });

  test('download selection, repo with both layouts: v1 fetches the rows (the old copy fetched the retrieval files)', () => {
    expect(selectTaskFiles(rr('mteb-1'), both)).toEqual(['README.md', 'test.jsonl.gz']);
    expect(selectTaskFiles(rr('mteb-2'), both)).toEqual([
      'README.md', 'corpus/test-00000-of-00001.parquet', 'qrels/test.tsv', 'queries/test-00000-of-00001.parquet', 'top_ranked/test-00000-of-00001.parquet',
    ]);
  });

  test('subset-prefixed configs: v2 fetches `en-*`, v1 the `en` rows (the old loader dispatch sniffed `en-corpus` and read v1 as retrieval)', () => {
    const f = (c: string) => `${c}/test-00000-of-00001.parquet`;
    const listing = ['en-corpus', 'en-queries', 'en-qrels', 'en-top_ranked', 'en'].map(f);
    expect(selectTaskFiles(rr('mteb-2', { hf_subsets: ['en'] }), listing)).toEqual(['en-corpus', 'en-qrels', 'en-queries', 'en-top_ranked'].map(f));
    expect(selectTaskFiles(rr('mteb-1', { hf_subsets: ['en'] }), listing)).toEqual([f('en')]);
  });

  test('loading a folder with both layouts: v1 gets the rows (the old loader dispatch returned the retrieval split)', async () => {
    const d = tmp('both-layouts-');
    cpSync(fixtureDir('rerank-legacy-mini'), d, { recursive: true });
    for (const c of ['corpus', 'queries', 'top_ranked']) cpSync(join(fixtureDir('rerank-v2-mini'), c), join(d, c), { recursive: true });
    cpSync(join(fixtureDir('beir-mini'), 'qrels'), join(d, 'qrels'), { recursive: true });
    const src = new FolderSource('local', 'both', d);
    const v1 = await loadTaskSplit(src, rr('mteb-1'), 'test');
    expect(v1).toEqual({ rows: [{ query: 'q one', positive: ['p1'], negative: ['n1', 'n2'] }, { query: ['sub a', 'sub b'], positive: ['p2', 'p3'], negative: ['n3'] }] });
    const v2 = (await loadTaskSplit(src, rr('mteb-2'), 'test')) as RetrievalSplit;
    expect(Object.fromEntries(v2.topRanked!)).toEqual({ q1: ['d1', 'd2', 'd3'], q2: ['d3', 'd4', 'd6'], q4: ['d5', 'd1'] });
    expect([...v2.qrels.keys()]).toEqual(['q1', 'q2', 'q4']);
  });
});
