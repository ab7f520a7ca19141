import { describe, test, expect } from '@jest/globals';
import { benchmarkTaskSpecs, getBenchmark } from '../../src/registry/index.js';
import { resolveDatasetSource } from '../../src/data/index.js';
import { loadTaskSplit } from '../../src/task-types/index.js';

describe('demo benchmark (fixtures/tasks/)', () => {
  test('every demo task file validates, resolves to its own folder and loads with the loader of its type', async () => {
    const specs = benchmarkTaskSpecs(getBenchmark('demo'));
    const kinds: string[][] = [];
    for (const s of specs) {
      const src = resolveDatasetSource(s, { env: {} });
      expect([src.kind, src.root]).toEqual(['local', s.source_dir]);
      kinds.push([s.name, s.type, Object.keys(await loadTaskSplit(src, s, s.eval_splits[0], 'default', { limit: 3 })).sort().join(',')]);
    }
    expect(kinds).toEqual([
      ['DemoRetrieval', 'Retrieval', 'corpus,qrels,queries'],
      ['DemoReranking', 'Reranking', 'rows'],
      ['DemoClassification', 'Classification', 'labels,texts'],
      ['DemoClustering', 'Clustering', 'sets'],
      ['DemoPairClassification', 'PairClassification', 'labels,sentence1,sentence2'],
      ['DemoSTS', 'STS', 'scores,sentence1,sentence2'],
      ['DemoSummarization', 'Summarization', 'rows'],
      ['DemoBitextMining', 'BitextMining', 'sentence1,sentence2'],
    ]);
  });
});
