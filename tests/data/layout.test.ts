import { describe, test, expect } from '@jest/globals';
import { FolderSource, layoutOf } from '../../src/data/index.js';
import { loadRetrievalSplit } from '../../src/task-types/loaders.js';
import { selectTaskFiles } from '../../src/task-types/download.js';
import { parseCardConfigs, globToRegExp } from '../../src/data/hf-configs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureDir, spec } from './helpers.js';

const obj = (l: ReturnType<typeof layoutOf>) =>
  Object.fromEntries([...l].map(([c, v]) => [c, Object.fromEntries(v.splits)]));

describe('file-name layout rules', () => {
  test('root, config folders, data/, sharded parquet, refs/convert layout', () => {
    expect(
      obj(layoutOf([
        'README.md', 'test.jsonl.gz', 'qrels/test.tsv', 'qrels/dev.tsv', 'data/train-00000-of-00002.parquet', 'data/train-00001-of-00002.parquet',
        'en/test.jsonl', 'data/de/test.jsonl', 'top_ranked/test/0000.parquet', 'corpus.jsonl',
      ])),
    ).toEqual({
      default: { test: ['test.jsonl.gz'], train: ['data/train-00000-of-00002.parquet', 'data/train-00001-of-00002.parquet'], corpus: ['corpus.jsonl'] },
      test: { '': ['test.jsonl.gz'] },
      corpus: { '': ['corpus.jsonl'] },
      qrels: { test: ['qrels/test.tsv'], dev: ['qrels/dev.tsv'] },
      en: { test: ['en/test.jsonl'] },
      de: { test: ['data/de/test.jsonl'] },
      top_ranked: { test: ['top_ranked/test/0000.parquet'] },
    });
  });
});

describe('dataset card configs', () => {
  test('parses config_name / data_files (list of split+path, path lists, plain string)', () => {
    const cfgs = parseCardConfigs(readFileSync(join(fixtureDir('card-mini'), 'README.md'), 'utf8'));
    expect(cfgs?.map((c) => [c.config_name, Object.fromEntries(c.data_files)])).toEqual([
      ['corpus', { corpus: ['raw/documents.jsonl'] }],
      ['queries', { queries: ['raw/questions*.jsonl'] }],
      ['default', { test: ['raw/judgements/part-a.tsv', 'raw/judgements/part-b.tsv'] }],
    ]);
    expect(parseCardConfigs('---\nconfigs:\n- config_name: en\n  data_files: en/*.jsonl\n---\n')?.[0].data_files.get('train')).toEqual(['en/*.jsonl']);
    expect(parseCardConfigs('---\nconfigs:\n- config_name: x\n  data_files:\n  - split: test\n    path: [a.tsv, "b.tsv"]\n---')?.[0].data_files.get('test')).toEqual(['a.tsv', 'b.tsv']);
    expect(parseCardConfigs('# no front matter')).toBeNull();
    expect(parseCardConfigs('---\nlicense: mit\n---\n')).toBeNull();
  });

  test('globs: * stays within a segment, ** crosses', () => {
    expect(globToRegExp('corpus/test-*').test('corpus/test-00000-of-00001.parquet')).toBe(true);
    expect(globToRegExp('data/*.parquet').test('data/a/b.parquet')).toBe(false);
    expect(globToRegExp('data/**/*.parquet').test('data/a/b.parquet')).toBe(true);
  });

  test('a card-mapped repo loads and selects files by its configs', async () => {
    const s = new FolderSource('local', 'card-mini', fixtureDir('card-mini'));
    const r = await loadRetrievalSplit(s, spec('Retrieval'), 'test');
    expect([[...r.corpus.keys()], [...r.queries.keys()], r.qrels.get('q2')?.get('d3')]).toEqual([['d1', 'd2', 'd3'], ['q1', 'q2'], 1]);
    const files = s.listFiles();
    const card = readFileSync(join(fixtureDir('card-mini'), 'README.md'), 'utf8');
    expect(selectTaskFiles(spec('Retrieval'), files, card)).toEqual([
      'README.md', 'raw/documents.jsonl', 'raw/judgements/part-a.tsv', 'raw/judgements/part-b.tsv', 'raw/questions-1.jsonl', 'raw/questions-2.jsonl',
    ]);
  });
});
